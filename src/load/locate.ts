/**
 * Maps a JSON path inside a parsed YAML document back to a line and column. The positions are taken from the
 * syntax tree once, into a plain `PositionTree`, so a document read from the document cache (cache.ts) points at
 * its lines exactly as a freshly parsed one does, without the syntax tree.
 */

import type { Document, LineCounter, Node } from 'yaml';
import type { At, JsonPath, Position, PositionTree } from './types.js';
import { yamlLib } from './yaml-lib.js';

export type { PositionTree } from './types.js';

export interface Locator {
  /** Position of the value at `path`; for a missing property, the nearest existing parent's position. */
  locate(path: JsonPath): Position;
  /** Position of the key at `path` (for an unknown property); falls back to `locate`. */
  locateKey(path: JsonPath): Position;
}

export function positionTree(doc: Document, lines: LineCounter): PositionTree {
  const { isMap, isPair, isScalar, isSeq } = yamlLib();
  const docStart = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const at = (node: Node | null | undefined): At => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? docStart);
    return [line, col];
  };
  const tree = (node: Node | null, key: Node | null): PositionTree => {
    const t: PositionTree = { p: at(node ?? key) };
    if (key) t.k = at(key);
    // A pair with an empty value (`role:`) has no value node: it stands at its key, and has no children.
    const self = node ?? key;
    if (isSeq(self)) t.s = self.items.map((item) => tree(item as Node | null, null));
    else if (isMap(self)) {
      const seen = new Set<string>();
      t.m = [];
      for (const pair of self.items) {
        const text = isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (text === undefined || seen.has(text)) continue; // the first entry of a key wins, as a lookup would
        seen.add(text);
        t.m.push([text, tree(pair.value as Node | null, pair.key as Node)]);
      }
    }
    return t;
  };
  return tree(doc.contents, null);
}

export function locatorOf(root: PositionTree): Locator {
  const pos = ([line, col]: At): Position => ({ line, col });
  return {
    locate: (path) => pos(walk(root, path).node.p),
    locateKey: (path) => {
      const found = walk(root, path);
      return pos(found.complete && found.node.k ? found.node.k : found.node.p);
    },
  };
}

function walk(root: PositionTree, path: JsonPath): { node: PositionTree; complete: boolean } {
  let node = root;
  for (const step of path) {
    const next = child(node, step);
    if (!next) return { node, complete: false };
    node = next;
  }
  return { node, complete: true };
}

function child(node: PositionTree, step: string | number): PositionTree | undefined {
  if (node.s) return typeof step === 'number' ? node.s[step] : undefined;
  if (node.m) {
    const key = String(step);
    return node.m.find(([k]) => k === key)?.[1];
  }
  return undefined;
}

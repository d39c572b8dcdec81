/** Maps a JSON path inside a parsed YAML document back to a line and column. */

import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { JsonPath, Position } from './types.js';

interface Found {
  /** The deepest node reached. */
  node: Node | null;
  /** The key node of the last property step, when the full path was reached through a map. */
  key: Node | null;
  complete: boolean;
}

export function makeLocator(
  doc: Document,
  lines: LineCounter,
): { locate(p: JsonPath): Position; locateKey(p: JsonPath): Position } {
  const docStart = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const at = (node: Node | null): Position => lines.linePos(node?.range?.[0] ?? docStart);
  return {
    locate: (path) => at(walk(doc.contents, path).node),
    locateKey: (path) => {
      const found = walk(doc.contents, path);
      return at(found.complete && found.key ? found.key : found.node);
    },
  };
}

function walk(root: Node | null, path: JsonPath): Found {
  let node = root;
  let key: Node | null = null;
  for (const step of path) {
    const next = child(node, step);
    if (!next) return { node, key: null, complete: false };
    // A pair with an empty value (`role:`) has no value node: point at its key.
    node = next.value ?? next.key;
    key = next.key;
  }
  return { node, key, complete: true };
}

function child(node: Node | null, step: string | number): { key: Node | null; value: Node | null } | undefined {
  if (isSeq(node) && typeof step === 'number') {
    const item = node.items[step];
    return item === undefined ? undefined : { key: null, value: item as Node | null };
  }
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(step));
    return pair ? { key: pair.key as Node | null, value: pair.value as Node | null } : undefined;
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

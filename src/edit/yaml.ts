/**
 * Editing YAML the way a careful person would. The `yaml` package's Document API finds the nodes (`parseAllDocuments`,
 * `YAMLMap` / `YAMLSeq`, node ranges); each edit then changes only the bytes of the item it adds or removes, so
 * comments, blank lines, key order, quoting, flow or block style, anchors, the schema modeline and the other documents
 * of the file stay exactly as they were. Re-stringifying a whole Document is not byte-stable: it re-indents
 * non-indented sequences, moves comment spacing and re-folds block scalars. New fragments are rendered with yaml's
 * own stringifier (block for top-level collections, flow for short lists and label maps, as the examples are written).
 */

import {
  Document,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { EditError } from './errors.js';

export type Path = readonly (string | number)[];

/** The documents of a file, parsed with their source ranges. */
export function parseFile(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text);
  return Array.isArray(docs) ? docs : [];
}

/** The collection at `path`, if it is a map or a sequence (not a scalar, not missing). */
export function collectionAt(doc: Document.Parsed, path: Path): YAMLMap | YAMLSeq | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  return isMap(node) || isSeq(node) ? node : undefined;
}

/** Appends `value` to the sequence at `path` of document `docIndex`. */
export function appendItem(text: string, docIndex: number, path: Path, value: unknown): string {
  const seq = requireNode(text, docIndex, path, isSeq);
  if (seq.flow) return appendFlow(text, seq, render(value, { flow: true }));
  const last = lastOf(seq.items, path) as Node;
  const dash = dashOf(text, last);
  const indent = dash - lineStart(text, dash);
  const at = endOfNode(text, last);
  const item = indentLines(render(value, { depth: path.length + 1 }), indent + 2);
  return insert(text, at, `${' '.repeat(indent)}- ${item.trimStart()}`);
}

/** Removes item `index` of the sequence at `path`: its line(s) in block style, the item and a comma in flow style. */
export function removeItem(text: string, docIndex: number, path: Path, index: number): string {
  const seq = requireNode(text, docIndex, path, isSeq);
  const item = seq.items[index] as Node | undefined;
  if (!item) throw notEditable(`no item ${index} at ${path.join('.')}`);
  if (seq.flow) return removeFlow(text, seq.items as Node[], index, (n) => [n.range![0], n.range![1]]);
  return cut(text, lineStart(text, dashOf(text, item)), endOfNode(text, item));
}

/** Adds `key: value` as the last entry of the map at `path`. */
export function addPair(text: string, docIndex: number, path: Path, key: string, value: unknown): string {
  const map = requireNode(text, docIndex, path, isMap);
  if (map.flow) return appendFlow(text, map, `${key}: ${render(value, { flow: true })}`);
  const last = lastOf(map.items, path) as Pair<Node, Node | null>;
  const keyStart = last.key.range![0];
  const indent = keyStart - lineStart(text, keyStart);
  const at = endOfNode(text, last.value ?? last.key);
  return insert(text, at, indentLines(render({ [key]: value }, { depth: path.length }), indent));
}

/** Removes the entry `key` of the map at `path`: its line(s) in block style, the entry and a comma in flow style. */
export function removePair(text: string, docIndex: number, path: Path, key: string): string {
  const map = requireNode(text, docIndex, path, isMap);
  const pairs = map.items as Pair<Node, Node | null>[];
  const index = pairs.findIndex((p) => isScalar(p.key) && p.key.value === key);
  const pair = pairs[index];
  if (!pair) throw notEditable(`no key ${key} at ${path.join('.')}`);
  const span = (p: Pair<Node, Node | null>): [number, number] => [p.key.range![0], (p.value ?? p.key).range![1]];
  if (map.flow) return removeFlow(text, pairs, index, span);
  return cut(text, lineStart(text, pair.key.range![0]), endOfNode(text, pair.value ?? pair.key));
}

/** Replaces the scalar at `path` with `value`, keeping its quoting (plain, 'single' or "double"). */
export function setScalar(text: string, docIndex: number, path: Path, value: string): string {
  const doc = parseFile(text)[docIndex];
  const node = doc?.getIn(path, true);
  if (!isScalar(node) || !node.range) throw notEditable(`expected a plain value at ${path.join('.')}`);
  const written =
    node.type === 'QUOTE_DOUBLE'
      ? JSON.stringify(value)
      : node.type === 'QUOTE_SINGLE'
        ? `'${value.replace(/'/g, "''")}'`
        : render(value, { flow: true });
  return text.slice(0, node.range[0]) + written + text.slice(node.range[1]);
}

/** Removes a whole document (and its `---` line), e.g. an expired token in a multi-document file. */
export function removeDocument(text: string, docIndex: number): string {
  const doc = parseFile(text)[docIndex];
  if (!doc) throw notEditable(`no document ${docIndex}`);
  const [start, , end] = doc.range;
  return cut(text, docIndex === 0 ? lineStart(text, start) : start, end);
}

/**
 * Text for a value: the top-level collection in block style, nested lists of plain values and the maps inside a
 * grant in flow style (`namespaces: [a, b]`, `clusters: {names: [prod-eu]}`), as the examples and most hand-written
 * files are.
 */
export function render(value: unknown, opts: { depth?: number; flow?: boolean } = {}): string {
  const doc = new Document(value);
  const base = opts.depth ?? 0;
  // The root is the item or entry being added: block style unless it goes into a flow collection.
  const flow = (node: YAMLMap | YAMLSeq, path: readonly unknown[]): boolean =>
    opts.flow === true || (depthOf(path) > 0 && wantsFlow(node, base + depthOf(path)));
  visit(doc, {
    Seq: (_k, node, path) => void (node.flow = flow(node, path)),
    Map: (_k, node, path) => void (node.flow = flow(node, path)),
  });
  return doc.toString(STRINGIFY).replace(/\n$/, opts.flow ? '' : '\n');
}

export const STRINGIFY = { flowCollectionPadding: false, lineWidth: 0 } as const;

function depthOf(path: readonly unknown[]): number {
  return path.filter((p) => isCollection(p)).length;
}

/** Lists of plain values from `spec.members.users` down; maps from a grant's `clusters` down. */
function wantsFlow(node: YAMLMap | YAMLSeq, depth: number): boolean {
  if (isMap(node)) return depth >= 4;
  return depth >= 2 && node.items.every((v) => isScalar(v));
}

function requireNode<T extends YAMLMap | YAMLSeq>(
  text: string,
  docIndex: number,
  path: Path,
  is: (n: unknown) => n is T,
): T {
  const doc = parseFile(text)[docIndex];
  const node = doc && (path.length === 0 ? doc.contents : doc.getIn(path, true));
  if (!is(node)) throw notEditable(`expected a ${is === isSeq ? 'list' : 'map'} at ${path.join('.') || 'the top'}`);
  return node;
}

function lastOf<T>(items: readonly T[], path: Path): T {
  const last = items[items.length - 1];
  if (last === undefined) throw notEditable(`${path.join('.')} is an empty block collection`);
  return last;
}

/** `[a, b]` + `c` → `[a, b, c]`; `[]` + `c` → `[c]`. */
function appendFlow(text: string, node: YAMLMap | YAMLSeq, fragment: string): string {
  const items = node.items as (Node | Pair<Node, Node | null>)[];
  const last = items[items.length - 1];
  if (!last) return insert(text, node.range![0] + 1, fragment);
  const end = isPair(last) ? (last.value ?? last.key).range![1] : last.range![1];
  return insert(text, end, `, ${fragment}`);
}

/** Cuts an item with the separator before it (after it, for the first of several), so `, x` / `x, ` goes. */
function removeFlow<T>(text: string, items: readonly T[], index: number, span: (item: T) => [number, number]): string {
  const [start, end] = span(items[index]!);
  const prev = items[index - 1];
  const next = items[index + 1];
  if (prev) return cut(text, span(prev)[1], end);
  if (next) return cut(text, start, span(next)[0]);
  return cut(text, start, end);
}

/** The `-` of a block sequence item (its node range starts after the indicator). */
function dashOf(text: string, item: Node): number {
  let i = item.range![0] - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === '-' ? i : item.range![0];
}

/** Just past the line a node ends on (block scalars and block maps already end with their newline). */
function endOfNode(text: string, node: Node): number {
  const end = node.range![1];
  if (end > 0 && text[end - 1] === '\n') return end;
  const newline = text.indexOf('\n', end);
  return newline < 0 ? text.length : newline + 1;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indentLines(block: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return block
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}

/** Inserts with the file's own line ending (a file written on Windows keeps its CRLF). */
function insert(text: string, at: number, fragment: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = at === text.length && at > 0 && !text.endsWith('\n') ? eol : '';
  return text.slice(0, at) + lead + fragment.replace(/\r?\n/g, eol) + text.slice(at);
}

function cut(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(end);
}

function notEditable(what: string): EditError {
  return new EditError('not-editable', `cannot edit the file in place: ${what}; make this change by hand`);
}

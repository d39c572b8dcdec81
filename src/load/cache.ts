/**
 * The document cache: what parsing a file produced (its documents' values and positions), keyed by the file's Git
 * blob id, so an unchanged file is neither parsed nor validated again. A file goes in only when it parsed without
 * a problem and every document passed its schema check, so a hit stands for "parsed and valid on its own".
 *
 * Two layers: memory (a long-running `serve` reads each blob once) and disk, under the user's cache folder
 * (`$XDG_CACHE_HOME/roster/documents/<key>/`), so the next run, on this commit or the next one, parses only the
 * files that changed. `key` changes with Roster's version, the schemas and the code that shapes an entry
 * (src/validate/cache-key.ts); folders of other keys are removed when a new key's folder is made. An entry on disk
 * carries its own SHA-256: one that is torn, edited or of another shape is ignored (and rewritten), never trusted.
 * Nothing here ever fails a command: a cache folder that cannot be written is simply not written.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CachedDocument, PositionTree } from './types.js';

export type { CachedDocument } from './types.js';

export interface DocumentCache {
  /** The documents of a blob parsed and validated before; undefined when not cached (or not trustworthy). */
  get(blob: string): readonly CachedDocument[] | undefined;
  put(blob: string, docs: readonly CachedDocument[]): void;
}

export interface DocumentCacheOptions {
  /** Changes whenever an entry could differ: Roster's version, the schemas, the parsing code. */
  key: string;
  /** The disk layer's root (`…/roster/documents`); memory only when absent. */
  dir?: string;
  /** Keep entries in this process's memory too (default true; `serve` reads each blob once). */
  memory?: boolean;
}

/** `$XDG_CACHE_HOME/roster/documents` (`~/.cache/roster/documents` when XDG_CACHE_HOME is not set). */
export function defaultDocumentCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'roster', 'documents');
}

/** Blobs held in memory across runs of one process; beyond this, the least recently used go first. */
const MEMORY_LIMIT = 50_000;
const memory = new Map<string, readonly CachedDocument[]>();

export function documentCache(opts: DocumentCacheOptions): DocumentCache {
  const disk = opts.dir ? new DiskLayer(join(opts.dir, opts.key), opts.dir) : undefined;
  const inMemory = opts.memory !== false;
  return {
    get(blob) {
      const id = `${opts.key}:${blob}`;
      let docs = inMemory ? memory.get(id) : undefined;
      if (docs) memory.delete(id); // re-inserted below: most recently used last
      docs ??= disk?.read(blob);
      if (docs && inMemory) remember(id, docs);
      return docs;
    },
    put(blob, docs) {
      if (inMemory) remember(`${opts.key}:${blob}`, docs);
      disk?.write(blob, docs);
    },
  };
}

function remember(id: string, docs: readonly CachedDocument[]): void {
  memory.set(id, docs);
  if (memory.size > MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
}

class DiskLayer {
  private writable = true;
  private readonly made = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly root: string,
  ) {}

  read(blob: string): readonly CachedDocument[] | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathOf(blob), 'utf8');
    } catch {
      return undefined;
    }
    return parseEntry(text, blob);
  }

  write(blob: string, docs: readonly CachedDocument[]): void {
    if (!this.writable) return;
    const path = this.pathOf(blob);
    try {
      this.makeFolder(blob.slice(0, 2));
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, formatEntry(blob, docs), { mode: 0o600 });
      renameSync(tmp, path);
    } catch {
      this.writable = false; // a read-only or full disk: stop trying for this run
    }
  }

  private pathOf(blob: string): string {
    return join(this.dir, blob.slice(0, 2), blob.slice(2));
  }

  private makeFolder(prefix: string): void {
    if (this.made.has(prefix)) return;
    if (this.made.size === 0) this.firstUse();
    mkdirSync(join(this.dir, prefix), { recursive: true, mode: 0o700 });
    this.made.add(prefix);
  }

  /** A new key's folder: entries of other keys (older versions, other schemas) can never be read again. */
  private firstUse(): void {
    const key = this.dir.slice(this.root.length + 1);
    let siblings: string[];
    try {
      siblings = readdirSync(this.root);
    } catch {
      return;
    }
    if (siblings.includes(key)) return;
    for (const other of siblings) rmSync(join(this.root, other), { recursive: true, force: true });
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `<sha256 of the body>\n<body>`, the body being `{"blob": …, "docs": […]}`. */
export function formatEntry(blob: string, docs: readonly CachedDocument[]): string {
  const body = JSON.stringify({ blob, docs });
  return `${sha256(body)}\n${body}`;
}

/** The documents of an entry, or undefined unless it is intact, for this blob, and of the expected shape. */
export function parseEntry(text: string, blob: string): readonly CachedDocument[] | undefined {
  const newline = text.indexOf('\n');
  if (newline !== 64) return undefined;
  const body = text.slice(newline + 1);
  if (sha256(body) !== text.slice(0, newline)) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(entry) || entry.blob !== blob || !Array.isArray(entry.docs)) return undefined;
  return entry.docs.every(isCachedDocument) ? entry.docs : undefined;
}

function isCachedDocument(d: unknown): d is CachedDocument {
  return isRecord(d) && Number.isInteger(d.doc) && (d.doc as number) >= 0 && 'value' in d && isTree(d.positions);
}

function isTree(t: unknown): t is PositionTree {
  if (!isRecord(t) || !isAt(t.p) || (t.k !== undefined && !isAt(t.k))) return false;
  if (
    t.m !== undefined &&
    !(Array.isArray(t.m) && t.m.every((e) => Array.isArray(e) && typeof e[0] === 'string' && isTree(e[1])))
  )
    return false;
  return t.s === undefined || (Array.isArray(t.s) && t.s.every(isTree));
}

const isAt = (a: unknown) => Array.isArray(a) && a.length === 2 && Number.isInteger(a[0]) && Number.isInteger(a[1]);
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Whether a parsed value comes back identical from JSON: strings, booleans, null, finite numbers other than -0,
 * arrays and plain objects. Anything else (`.inf`, `.nan`) keeps its file out of the cache.
 */
export function jsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonSafe);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(jsonSafe);
}

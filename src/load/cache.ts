/**
 * The document cache: what parsing a file produced (its documents' values and positions), keyed by the file's Git
 * blob id, so an unchanged file is neither parsed nor validated again. A file goes in only when it parsed without
 * a problem and every document passed its schema check, so a hit stands for "parsed and valid on its own".
 *
 * Two layers: memory (a long-running `serve` reads each blob once) and disk, under the user's cache folder
 * (`$XDG_CACHE_HOME/roster/documents/<key>/`), so the next run, on this commit or the next one, parses only the
 * files that changed. `key` changes with Roster's version, the schemas and the code that shapes an entry
 * (src/validate/cache-key.ts); folders of other keys are removed when a new key's folder is made.
 *
 * On disk, a run's documents are one file (a pack: every blob the run looked up or put, with its documents), not a
 * file per blob: a run over 1,000 files then reads or writes one file instead of a thousand (which cost more than
 * parsing them). `flush()` writes a pack only when the run parsed something new or drew on several packs; the
 * newest few packs are kept, and lookups read them newest first, so the next commit still finds its unchanged
 * files. A pack carries its own SHA-256: one that is torn, edited or of another shape is ignored, never trusted.
 * Nothing here ever fails a command: a cache folder that cannot be written is simply not written.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CachedDocument, PositionTree } from './types.js';

export type { CachedDocument } from './types.js';

export interface DocumentCache {
  /** The documents of a blob parsed and validated before; undefined when not cached (or not trustworthy). */
  get(blob: string): readonly CachedDocument[] | undefined;
  put(blob: string, docs: readonly CachedDocument[]): void;
  /** Writes what this run looked up and put to disk, when the disk does not hold it in one pack already. */
  flush(): void;
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
      if (docs) {
        memory.delete(id); // re-inserted below: most recently used last
        disk?.used(blob, docs);
      }
      docs ??= disk?.read(blob);
      if (docs && inMemory) remember(id, docs);
      return docs;
    },
    put(blob, docs) {
      if (inMemory) remember(`${opts.key}:${blob}`, docs);
      disk?.write(blob, docs);
    },
    flush() {
      disk?.flush();
    },
  };
}

function remember(id: string, docs: readonly CachedDocument[]): void {
  memory.set(id, docs);
  if (memory.size > MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
}

/** Packs kept per key: enough for a few repositories or branches used in turn. */
export const MAX_PACKS = 4;
const PACK = /^[0-9a-f]{64}\.pack$/;

/** A pack read from disk: its blob ids at once, its documents only once one of them is asked for. */
interface Pack {
  name: string;
  text: string;
  blobs: Map<string, number>;
  /** undefined until needed; null when the pack turned out corrupt. */
  docs?: readonly unknown[] | null;
}

class DiskLayer {
  private writable = true;
  private packs: string[] | undefined;
  private readonly opened: Pack[] = [];
  /** This run's working set: every blob looked up (found) or put, with its documents. */
  private readonly seen = new Map<string, readonly CachedDocument[]>();
  private readonly servedBy = new Set<string>();
  private added = false;

  constructor(
    private readonly dir: string,
    private readonly root: string,
  ) {}

  read(blob: string): readonly CachedDocument[] | undefined {
    for (let i = 0; ; i++) {
      const pack = this.open(i);
      if (!pack) return undefined;
      const docs = documentsIn(pack, blob);
      if (docs) {
        this.servedBy.add(pack.name);
        this.seen.set(blob, docs);
        return docs;
      }
    }
  }

  /** A blob found in memory: part of the working set (`serve`), without looking at the disk for it. */
  used(blob: string, docs: readonly CachedDocument[]): void {
    this.seen.set(blob, docs);
  }

  write(blob: string, docs: readonly CachedDocument[]): void {
    this.seen.set(blob, docs);
    this.added = true;
  }

  /**
   * One pack of the working set when this run parsed something new or drew on several packs; when one pack served
   * it all, that pack is marked newest instead, so the next run on this commit reads one file.
   */
  flush(): void {
    if (!this.writable || this.seen.size === 0) return;
    if (!this.added && this.servedBy.size <= 1) {
      const [only] = this.servedBy;
      if (only !== undefined && only !== this.list()[0]) this.touch(only);
      return;
    }
    try {
      this.removeOtherKeys();
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const text = formatPack([...this.seen]);
      const name = `${text.slice(0, 64)}.pack`;
      const tmp = join(this.dir, `${name}.${process.pid}.tmp`);
      writeFileSync(tmp, text, { mode: 0o600 });
      renameSync(tmp, join(this.dir, name));
      const older = this.list().filter((n) => n !== name);
      for (const old of older.slice(MAX_PACKS - 1)) rmSync(join(this.dir, old), { force: true });
      this.packs = [name, ...older.slice(0, MAX_PACKS - 1)];
    } catch {
      this.writable = false; // a read-only or full disk: stop trying for this run
    }
    this.added = false;
  }

  /** Pack names, newest first. */
  private list(): string[] {
    if (this.packs) return this.packs;
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => PACK.test(n));
    } catch {
      names = [];
    }
    const mtime = (n: string) => statSync(join(this.dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    const dated = names.map((n) => [n, mtime(n)] as const).sort((a, b) => b[1] - a[1]);
    return (this.packs = dated.map(([n]) => n));
  }

  private open(i: number): Pack | undefined {
    while (this.opened.length <= i) {
      const name = this.list()[this.opened.length];
      if (name === undefined) return undefined;
      this.opened.push(readPack(name, join(this.dir, name)));
    }
    return this.opened[i];
  }

  private touch(name: string): void {
    try {
      const now = new Date();
      utimesSync(join(this.dir, name), now, now);
    } catch {
      // another process pruned it: the next run writes a new one
    }
  }

  /** A new key's folder: entries of other keys (older versions, other schemas) can never be read again. */
  private removeOtherKeys(): void {
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

function readPack(name: string, path: string): Pack {
  const pack: Pack = { name, text: '', blobs: new Map() };
  try {
    pack.text = readFileSync(path, 'utf8');
    const first = pack.text.indexOf('\n');
    const second = pack.text.indexOf('\n', first + 1);
    const blobs: unknown = first === 64 && second > 0 ? JSON.parse(pack.text.slice(first + 1, second)) : undefined;
    if (Array.isArray(blobs)) blobs.forEach((b, i) => typeof b === 'string' && pack.blobs.set(b, i));
  } catch {
    pack.blobs.clear(); // unreadable or not a pack: holds nothing
  }
  return pack;
}

/** A blob's documents in a pack, checked: the whole pack against its checksum once, then this entry's shape. */
function documentsIn(pack: Pack, blob: string): readonly CachedDocument[] | undefined {
  const index = pack.blobs.get(blob);
  if (index === undefined) return undefined;
  pack.docs ??= parsePackBody(pack.text) ?? null;
  if (!pack.docs) return undefined;
  const docs = pack.docs[index];
  return Array.isArray(docs) && docs.every(isCachedDocument) ? docs : undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `<sha256 of the rest>\n<JSON array of blob ids>\n<JSON array of their documents, in the same order>`. */
export function formatPack(entries: ReadonlyArray<readonly [string, readonly CachedDocument[]]>): string {
  const rest = `${JSON.stringify(entries.map(([blob]) => blob))}\n${JSON.stringify(entries.map(([, docs]) => docs))}`;
  return `${sha256(rest)}\n${rest}`;
}

/** The documents array of an intact pack, or undefined unless its checksum matches and it parses. */
export function parsePackBody(text: string): readonly unknown[] | undefined {
  const newline = text.indexOf('\n');
  if (newline !== 64) return undefined;
  const rest = text.slice(newline + 1);
  if (sha256(rest) !== text.slice(0, newline)) return undefined;
  try {
    const body: unknown = JSON.parse(rest.slice(rest.indexOf('\n') + 1));
    return Array.isArray(body) ? body : undefined;
  } catch {
    return undefined;
  }
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

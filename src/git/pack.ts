/**
 * Objects in pack files (`objects/pack/pack-*.pack` with a version 2 `.idx`), read with Node's zlib and SHA-1: a
 * clone, a CI checkout or any repository after `git gc` keeps its objects there, and isomorphic-git inflates each one
 * in JavaScript (a new commit of 1,000 packed files cost 0.5 s more than loose ones). Offset and reference deltas
 * are resolved; the result must hash to the id asked for. Anything else (an index of another version, a base in
 * another pack's thin delta, a malformed entry) is undefined here, and the caller asks isomorphic-git.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { RawObject } from './loose.js';

const TYPES = ['', 'commit', 'tree', 'blob', 'tag'] as const;
const OFS_DELTA = 6;
const REF_DELTA = 7;

interface PackIndex {
  idx: Buffer;
  count: number;
  packPath: string;
  pack?: Buffer;
  /** Objects read from this pack by offset: a delta's base is the base of its neighbours' deltas too. */
  objects: Map<number, RawObject>;
}

/**
 * Objects kept per pack. Similar files (a team's YAML each) are stored as chains of deltas ten deep: without them
 * every blob inflated its whole chain again (1,000 packed team files: ~120 ms of reads).
 */
const MAX_OBJECTS = 256;

/** The packs of one repository, their indexes read on first use. */
export class Packs {
  private indexes: PackIndex[] | undefined;

  constructor(private readonly gitdir: string) {}

  read(oid: string): RawObject | undefined {
    const id = Buffer.from(oid, 'hex');
    if (id.length !== 20) return undefined;
    for (const index of this.list()) {
      const offset = offsetOf(index, id);
      if (offset === undefined) continue;
      try {
        const object = this.objectAt(index, offset, 0);
        return object && hashOf(object) === oid ? object : undefined;
      } catch {
        return undefined; // a malformed entry: isomorphic-git reports it
      }
    }
    return undefined;
  }

  private list(): PackIndex[] {
    if (this.indexes) return this.indexes;
    const dir = join(this.gitdir, 'objects', 'pack');
    this.indexes = [];
    try {
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.idx'))) {
        const idx = readFileSync(join(dir, name));
        // Version 2: "\377tOc", 2, the fan-out table; its last entry is the object count.
        if (idx.length < 1072 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) continue;
        const count = idx.readUInt32BE(8 + 255 * 4);
        this.indexes.push({ idx, count, packPath: join(dir, `${name.slice(0, -4)}.pack`), objects: new Map() });
      }
    } catch {
      // no pack folder: nothing packed
    }
    return this.indexes;
  }

  private objectAt(index: PackIndex, offset: number, depth: number): RawObject | undefined {
    let object = index.objects.get(offset);
    if (!object) {
      object = this.inflateAt(index, offset, depth);
      if (object) {
        if (index.objects.size >= MAX_OBJECTS) index.objects.clear();
        index.objects.set(offset, object);
      }
    }
    return object;
  }

  private inflateAt(index: PackIndex, offset: number, depth: number): RawObject | undefined {
    if (depth > 50) return undefined;
    const pack = (index.pack ??= readFileSync(index.packPath));
    let at = offset;
    let byte = pack[at++]!;
    const type = (byte >> 4) & 7;
    while (byte & 0x80) byte = pack[at++]!; // the inflated size: inflate finds it anyway
    if (type === OFS_DELTA || type === REF_DELTA) {
      let base: RawObject | undefined;
      if (type === OFS_DELTA) {
        byte = pack[at++]!;
        let back = byte & 0x7f;
        while (byte & 0x80) {
          byte = pack[at++]!;
          back = (back + 1) * 128 + (byte & 0x7f);
        }
        base = this.objectAt(index, offset - back, depth + 1);
      } else {
        const baseOffset = offsetOf(index, pack.subarray(at, at + 20));
        at += 20;
        base = baseOffset === undefined ? undefined : this.objectAt(index, baseOffset, depth + 1);
      }
      return base && { type: base.type, content: applyDelta(base.content, inflateSync(pack.subarray(at))) };
    }
    const name = TYPES[type];
    return name ? { type: name, content: inflateSync(pack.subarray(at)) } : undefined;
  }
}

/** Where `id` starts in the pack, by binary search in the index's sorted ids; undefined when not in it. */
function offsetOf(index: PackIndex, id: Buffer): number | undefined {
  const { idx, count } = index;
  let lo = id[0] === 0 ? 0 : idx.readUInt32BE(8 + (id[0]! - 1) * 4);
  let hi = idx.readUInt32BE(8 + id[0]! * 4);
  const names = 8 + 256 * 4;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const cmp = idx.compare(id, 0, 20, names + mid * 20, names + mid * 20 + 20) * -1;
    if (cmp === 0) {
      const offsets = names + count * 24;
      const small = idx.readUInt32BE(offsets + mid * 4);
      if (!(small & 0x80000000)) return small;
      const large = offsets + count * 4 + (small & 0x7fffffff) * 8;
      return idx.readUInt32BE(large) * 2 ** 32 + idx.readUInt32BE(large + 4);
    }
    if (cmp < 0) hi = mid;
    else lo = mid + 1;
  }
  return undefined;
}

/** Git's delta format: source and target sizes, then copy (from the base) and insert instructions. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let at = 0;
  const size = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (size() !== base.length) throw new Error('delta base size mismatch');
  const out = Buffer.alloc(size());
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let length = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[at++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) length += delta[at++]! * 2 ** (8 * i);
      if (length === 0) length = 0x10000;
      written += base.copy(out, written, offset, offset + length);
    } else if (op > 0) {
      written += delta.copy(out, written, at, at + op);
      at += op;
    } else throw new Error('delta instruction 0');
  }
  if (written !== out.length) throw new Error('delta target size mismatch');
  return out;
}

function hashOf(object: RawObject): string {
  return createHash('sha1').update(`${object.type} ${object.content.length}\0`).update(object.content).digest('hex');
}

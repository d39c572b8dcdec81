import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentCache, formatPack, jsonSafe, MAX_PACKS, type CachedDocument } from '../../../src/load/cache.js';
import { locatorOf } from '../../../src/load/locate.js';
import { loadFile } from '../../../src/load/parse.js';
import type { JsonPath } from '../../../src/load/types.js';

const TEAM = [
  'apiVersion: roster/v1',
  'kind: Team',
  'metadata:',
  '  name: payments # a comment',
  'spec:',
  '  members: {users: [alice@example.com], groups: []}',
  '  description:',
  '  grants:',
  '    - role: editor',
  '      namespaces: [payments, "payments-*"]',
  '    - &second',
  '      role: viewer',
  '      namespaces:',
  '        - web',
  '    - *second',
  '',
].join('\n');

const BLOB = 'a'.repeat(40);
const docsOf = (text: string): CachedDocument[] =>
  loadFile({ path: 't.yaml', text }).documents.map(({ doc, value, positions }) => ({ doc, value, positions }));

/** Every path into a value, plus a missing child under each: what diagnostics point at. */
function paths(value: unknown, base: (string | number)[] = []): JsonPath[] {
  const out: JsonPath[] = [base, [...base, 'missing'], [...base, 7]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...base, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...base, k]));
  return out;
}

describe('load: the document cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'roster-doc-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const diskOnly = (key = 'k1') => documentCache({ key, dir, memory: false });
  /** What one run does: looks up or puts its blobs, then flushes. */
  const runPutting = (entries: Record<string, CachedDocument[]>, key = 'k1') => {
    const cache = diskOnly(key);
    for (const [blob, docs] of Object.entries(entries)) if (!cache.get(blob)) cache.put(blob, docs);
    cache.flush();
  };
  const packs = (key = 'k1') => readdirSync(join(dir, key)).filter((n) => n.endsWith('.pack'));
  const packFile = (key = 'k1') => join(dir, key, packs(key)[0]!);

  it('gives back from disk what was put, and a cached document locates every path as the parsed one does', () => {
    const fresh = loadFile({ path: 't.yaml', text: TEAM }).documents[0]!;
    runPutting({ [BLOB]: docsOf(TEAM) });
    const hit = diskOnly().get(BLOB);
    assert.ok(hit, 'a new cache object reads the entry from disk');
    assert.deepEqual(hit[0]!.value, fresh.value);
    const cached = locatorOf(hit[0]!.positions);
    for (const path of paths(fresh.value)) {
      assert.deepEqual(cached.locate(path), fresh.locate(path), `locate ${path.join('.')}`);
      assert.deepEqual(cached.locateKey(path), fresh.locateKey(path), `locateKey ${path.join('.')}`);
    }
    assert.deepEqual(cached.locate(['spec', 'grants', 1, 'namespaces', 0]), { line: 14, col: 11 });
  });

  it('ignores a pack whose bytes changed, was cut short, or names another blob; the next run writes a good one', () => {
    runPutting({ [BLOB]: docsOf(TEAM) });
    const file = packFile();
    const good = readFileSync(file, 'utf8');
    const corruptions = [
      good.replace('payments', 'paymentz'), // an edited body: its checksum no longer matches
      good.slice(0, good.length - 20), // a torn write
      '', // an empty file
      'not a cache entry at all',
      formatPack([['b'.repeat(40), docsOf(TEAM)]]), // intact, but for another blob
      formatPack([[BLOB, [{ doc: -1, value: {}, positions: { p: [1, 1] } }]]]), // intact, impossible shape
      formatPack([[BLOB, [{ doc: 0, value: {}, positions: { p: ['1', 1] } }] as unknown as CachedDocument[]]]),
    ];
    for (const bad of corruptions) {
      writeFileSync(file, bad);
      assert.equal(diskOnly().get(BLOB), undefined, JSON.stringify(bad.slice(0, 80)));
    }
    runPutting({ [BLOB]: docsOf(TEAM) });
    assert.ok(diskOnly().get(BLOB));
  });

  it('keeps entries of different keys apart, and removes other keys’ folders when a new key is first written', () => {
    runPutting({ [BLOB]: docsOf(TEAM) }, 'old');
    assert.equal(diskOnly('new').get(BLOB), undefined);
    runPutting({ [BLOB]: docsOf(TEAM) }, 'new');
    assert.deepEqual(readdirSync(dir), ['new']);
    assert.equal(existsSync(join(dir, 'old')), false);
  });

  it('writes a run’s documents as one file, and nothing when the next run finds them all there', () => {
    const blobs = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(40, '0'));
    runPutting(Object.fromEntries(blobs.map((b) => [b, docsOf(TEAM)])));
    const [written] = packs();
    assert.equal(packs().length, 1);
    runPutting(Object.fromEntries(blobs.map((b) => [b, docsOf(TEAM)])));
    assert.deepEqual(packs(), [written]);
    for (const blob of blobs) assert.deepEqual(diskOnly().get(blob), docsOf(TEAM));
  });

  it('finds the unchanged files of the next commit in the previous pack, and keeps only the newest packs', () => {
    const docs = docsOf(TEAM);
    const commit = (i: number) => ({ ['0'.repeat(40)]: docs, [String(i).padStart(40, '1')]: docs });
    for (let i = 0; i < MAX_PACKS + 3; i++) {
      const cache = diskOnly();
      assert.ok(i === 0 || cache.get('0'.repeat(40)), `commit ${i}: the unchanged blob is found`);
      for (const [blob, d] of Object.entries(commit(i))) if (!cache.get(blob)) cache.put(blob, d);
      cache.flush();
    }
    assert.equal(packs().length, MAX_PACKS);
    assert.ok(diskOnly().get(String(MAX_PACKS + 2).padStart(40, '1')), 'the newest commit’s own blob');
    assert.equal(diskOnly().get(String(0).padStart(40, '1')), undefined, 'the oldest pack is gone');
  });

  it('never fails when the cache folder cannot be written', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const cache = documentCache({ key: 'k', dir: file, memory: false });
    assert.doesNotThrow(() => {
      cache.put(BLOB, docsOf(TEAM));
      cache.flush();
    });
    assert.equal(cache.get(BLOB), undefined);
  });

  it('keeps entries in memory for the rest of the process (serve), without touching the disk again', () => {
    const key = `memory-${process.pid}-${Date.now()}`;
    documentCache({ key, dir }).put(BLOB, docsOf(TEAM));
    rmSync(dir, { recursive: true, force: true });
    assert.equal(documentCache({ key, dir, memory: false }).get(BLOB), undefined, 'nothing left on disk');
    assert.deepEqual(documentCache({ key, dir }).get(BLOB), docsOf(TEAM));
  });

  it('accepts only values that come back identical from JSON', () => {
    assert.equal(jsonSafe({ a: [1, 'x', true, null, { b: 2.5 }] }), true);
    for (const bad of [Infinity, NaN, -0, new Date(0), new Map(), undefined, [1, Infinity]])
      assert.equal(jsonSafe(bad), false, Object.prototype.toString.call(bad));
  });
});

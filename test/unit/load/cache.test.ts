import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentCache, formatEntry, jsonSafe, type CachedDocument } from '../../../src/load/cache.js';
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
  const entryFile = (key = 'k1') => join(dir, key, BLOB.slice(0, 2), BLOB.slice(2));

  it('gives back from disk what was put, and a cached document locates every path as the parsed one does', () => {
    const fresh = loadFile({ path: 't.yaml', text: TEAM }).documents[0]!;
    diskOnly().put(BLOB, docsOf(TEAM));
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

  it('ignores an entry whose bytes changed, was cut short, or names another blob; the next put rewrites it', () => {
    diskOnly().put(BLOB, docsOf(TEAM));
    const good = readFileSync(entryFile(), 'utf8');
    const corruptions = [
      good.replace('payments', 'paymentz'), // an edited body: its checksum no longer matches
      good.slice(0, good.length - 20), // a torn write
      '', // an empty file
      'not a cache entry at all',
      formatEntry('b'.repeat(40), docsOf(TEAM)), // intact, but for another blob
      formatEntry(BLOB, [{ doc: -1, value: {}, positions: { p: [1, 1] } }]), // intact, impossible shape
      formatEntry(BLOB, [{ doc: 0, value: {}, positions: { p: ['1', 1] } }] as unknown as CachedDocument[]),
    ];
    for (const bad of corruptions) {
      writeFileSync(entryFile(), bad);
      assert.equal(diskOnly().get(BLOB), undefined, JSON.stringify(bad.slice(0, 80)));
    }
    diskOnly().put(BLOB, docsOf(TEAM));
    assert.ok(diskOnly().get(BLOB));
  });

  it('keeps entries of different keys apart, and removes other keys’ folders when a new key is first written', () => {
    diskOnly('old').put(BLOB, docsOf(TEAM));
    assert.equal(diskOnly('new').get(BLOB), undefined);
    diskOnly('new').put(BLOB, docsOf(TEAM));
    assert.deepEqual(readdirSync(dir), ['new']);
    assert.equal(existsSync(entryFile('old')), false);
  });

  it('never fails when the cache folder cannot be written', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const cache = documentCache({ key: 'k', dir: file, memory: false });
    assert.doesNotThrow(() => cache.put(BLOB, docsOf(TEAM)));
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

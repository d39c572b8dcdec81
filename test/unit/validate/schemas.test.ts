import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readRepoDir } from '../../../src/load/dir.js';
import { loadFiles } from '../../../src/load/parse.js';
import { Kinds } from '../../../src/model/types.js';
import { anyDocumentValidator, schemaValidator, schemasDir } from '../../../src/validate/schemas.js';
import { fixturesDir } from '../../support/paths.js';

type Node = Record<string, unknown>;
const schemaFiles = readdirSync(schemasDir())
  .filter((f) => f.endsWith('.json'))
  .sort();
const read = (f: string): Node => JSON.parse(readFileSync(join(schemasDir(), f), 'utf8')) as Node;

/** Every schema under a `properties` map, with its JSON path. */
function fields(node: unknown, path: string, out: [string, Node][] = []): [string, Node][] {
  if (node === null || typeof node !== 'object') return out;
  for (const [key, child] of Object.entries(node as Node)) {
    if (key === 'if') continue; // conditions, not fields
    if (key === 'properties')
      for (const [name, s] of Object.entries(child as Node)) out.push([`${path}/properties/${name}`, s as Node]);
    fields(child, `${path}/${key}`, out);
  }
  return out;
}

describe('schemas', () => {
  it('compiles a validator for every kind and the kind dispatcher', () => {
    for (const kind of Kinds) assert.equal(typeof schemaValidator(kind), 'function');
    assert.equal(typeof anyDocumentValidator(), 'function');
  });

  it('declares draft 2020-12 and a kube-roster.dev $id named after the file', () => {
    for (const f of schemaFiles) {
      const s = read(f);
      assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema', f);
      assert.equal(s.$id, `https://kube-roster.dev/schemas/${f}`, f);
    }
  });

  it('describes every field, so editors can show it', () => {
    const missing = schemaFiles.flatMap((f) =>
      fields(read(f), f)
        .filter(([, s]) => typeof s.description !== 'string' && typeof s.$ref !== 'string')
        .map(([p]) => p),
    );
    assert.deepEqual(missing, []);
  });

  it('dispatches on kind in roster.json', () => {
    const any = anyDocumentValidator();
    assert.equal(any({ apiVersion: 'roster/v1', kind: 'Cluster', metadata: { name: 'dev' }, spec: {} }), true);
    assert.equal(
      any({ apiVersion: 'roster/v1', kind: 'Cluster', metadata: { name: 'dev' }, spec: { scope: 'cluster' } }),
      false,
    );
    assert.equal(
      any({ apiVersion: 'roster/v1', kind: 'Role', metadata: { name: 'r' }, spec: { scope: 'cluster' } }),
      true,
    );
  });

  it('accepts every document of the valid fixture through roster.json', async () => {
    const { documents } = loadFiles(await readRepoDir(join(fixturesDir, 'valid', 'minimal')));
    assert.ok(documents.length >= 4);
    for (const d of documents) assert.equal(anyDocumentValidator()(d.value), true, `${d.file}#${d.doc}`);
  });

  it('points every yaml-language-server modeline in the fixtures at an existing schema', async () => {
    const files = await readRepoDir(join(fixturesDir, 'valid', 'minimal'));
    for (const f of files) {
      for (const [, rel] of f.text.matchAll(/# yaml-language-server: \$schema=(\S+)/g)) {
        const target = resolve(fixturesDir, 'valid', 'minimal', dirname(f.path), rel!);
        assert.ok(existsSync(target) && target.startsWith(schemasDir()), `${f.path}: ${rel}`);
      }
    }
  });
});

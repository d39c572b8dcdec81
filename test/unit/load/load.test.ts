import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRepoDir } from '../../../src/load/dir.js';
import { loadFile, loadFiles } from '../../../src/load/parse.js';

const multi = [
  'apiVersion: roster/v1', // 1
  'kind: Cluster', // 2
  'metadata: {name: dev}', // 3
  'spec: {}', // 4
  '---', // 5
  '# second document', // 6
  'apiVersion: roster/v1', // 7
  'kind: Team', // 8
  'metadata:', // 9
  '  name: web', // 10
  'spec:', // 11
  '  grants:', // 12
  '    - role: editor', // 13
  '      namespaces: [web]', // 14
  '    - role: viewer', // 15
  '',
].join('\n');

describe('load', () => {
  it('maps paths in the second document of a file to its own lines', () => {
    const { documents, diagnostics } = loadFile({ path: 'all.yaml', text: multi });
    assert.deepEqual(diagnostics, []);
    assert.equal(documents.length, 2);
    const team = documents[1]!;
    assert.equal(team.doc, 1);
    assert.deepEqual(team.locate(['spec', 'grants', 1, 'role']), { line: 15, col: 13 });
    assert.deepEqual(team.locate(['spec', 'grants', 0, 'namespaces', 0]), { line: 14, col: 20 });
    assert.deepEqual(documents[0]!.locate(['metadata', 'name']), { line: 3, col: 18 });
  });

  it('locates a missing property at its parent and an extra property at its key', () => {
    const team = loadFile({ path: 'all.yaml', text: multi }).documents[1]!;
    assert.deepEqual(team.locate(['spec', 'grants', 1, 'namespaces']), { line: 15, col: 7 });
    assert.deepEqual(team.locateKey(['spec', 'grants', 0, 'namespaces']), { line: 14, col: 7 });
  });

  it('reports every syntax error of every file with its position', () => {
    const { diagnostics, documents } = loadFiles([
      { path: 'a.yaml', text: 'apiVersion: roster/v1\nkind: Team\nmetadata: {name: a\n' },
      { path: 'b.yaml', text: 'apiVersion: roster/v1\nkind: Team\nkind: Role\n' },
      { path: 'c.yaml', text: 'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: ok}\nspec: {}\n' },
    ]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.file, d.line, d.col]),
      [
        ['yaml-syntax', 'a.yaml', 4, 1],
        ['yaml-syntax', 'b.yaml', 3, 1],
      ],
    );
    assert.deepEqual(
      documents.map((d) => d.file),
      ['c.yaml'],
    );
  });

  it('ignores empty documents and warns about YAML that is not Roster config', () => {
    const { documents, diagnostics } = loadFile({
      path: 'x.yaml',
      text: '---\n# nothing\n---\nname: build\non: [push]\n',
    });
    assert.equal(documents.length, 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.code, d.line]),
      [['warning', 'not-roster', 4]],
    );
  });

  it('counts columns on the first line of a file that starts with a byte order mark as an editor shows them', () => {
    const { diagnostics } = loadFiles([{ path: 'bom.yaml', text: '\uFEFFapiVersion: roster/v9\nkind: Team\n' }]);
    assert.deepEqual(
      diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`),
      ['bom.yaml:1:13 api-version'],
    );
  });

  it('rejects a newer Roster apiVersion instead of skipping it', () => {
    const { documents, diagnostics } = loadFile({ path: 'x.yaml', text: 'apiVersion: roster/v2\nkind: Team\n' });
    assert.equal(documents.length, 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.code, d.path, d.line, d.col]),
      [['error', 'api-version', 'apiVersion', 1, 13]],
    );
  });

  it('keeps a Roster kind without apiVersion so the schema can report it', () => {
    assert.equal(loadFile({ path: 'x.yaml', text: 'kind: Team\n' }).documents.length, 1);
  });

  it('reads *.yaml and *.yml recursively, sorted, skipping dot-folders and node_modules', async () => {
    const root = mkdtempSync(join(tmpdir(), 'roster-load-'));
    try {
      for (const f of ['b.yaml', 'a/c.yml', 'a/d.txt', '.git/e.yaml', 'node_modules/x/f.yaml', 'a/.hidden/g.yaml']) {
        mkdirSync(join(root, f, '..'), { recursive: true });
        writeFileSync(join(root, f), 'x: 1\n');
      }
      assert.deepEqual(
        (await readRepoDir(root)).map((f) => f.path),
        ['a/c.yml', 'b.yaml'],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

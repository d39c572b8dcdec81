import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentCache, type DocumentCache } from '../../../src/load/cache.js';
import type { SourceFile } from '../../../src/load/types.js';
import { readSource } from '../../../src/source/index.js';
import { cacheKeyOf, documentCacheKey, validateRepo } from '../../../src/validate/index.js';
import { TestRepo } from '../../support/git/repo.js';
import { fixturesDir } from '../../support/paths.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const fixture = (path: string) => readFile(join(fixturesDir, 'valid', 'minimal', path), 'utf8');
const read = (files: readonly SourceFile[]) => files.filter((f) => 'text' in f).map((f) => f.path);

describe('validate: through the document cache', () => {
  let repo: TestRepo;
  let dir: string;
  /** A fresh cache object on the same folder, memory off: what the next `roster` process sees. */
  const nextProcess = (key = documentCacheKey()): DocumentCache => documentCache({ key, dir, memory: false });

  beforeEach(async () => {
    repo = await TestRepo.create();
    dir = mkdtempSync(join(tmpdir(), 'roster-doc-cache-'));
    const files: Record<string, string> = {};
    for (const path of ['roster.yaml', 'clusters/dev.yaml', 'roles/deployer.yaml', 'teams/web.yaml'])
      files[path] = await fixture(path);
    await repo.commit(files, { message: 'config' });
  });
  afterEach(async () => {
    await repo.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(cache: DocumentCache) {
    const snapshot = await readSource({ repo: repo.dir }, cache);
    return { read: read(snapshot.files), ...validateRepo(snapshot.files, { now: NOW, cache }) };
  }

  it('reads and parses every file on the first run of a commit, none on the next, with the same model', async () => {
    const first = await run(nextProcess());
    const second = await run(nextProcess());
    assert.equal(first.read.length, 4);
    assert.deepEqual(second.read, []);
    assert.ok(first.model);
    assert.deepEqual(second.model, first.model);
    assert.deepEqual(second.diagnostics, first.diagnostics);
  });

  it('on the next commit reads only the files that changed', async () => {
    await run(nextProcess());
    const web = await fixture('teams/web.yaml');
    const ops = web.replace(/web/g, 'ops');
    const bob = web.replace('[alice@', '[bob@');
    await repo.commit({ 'teams/web.yaml': bob, 'teams/ops.yaml': ops }, { message: 'bob joins web; a new team' });
    const next = await run(nextProcess());
    assert.deepEqual(next.read.sort(), ['teams/ops.yaml', 'teams/web.yaml']);
    assert.deepEqual(
      next.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.deepEqual(
      next.model?.teams.map((t) => [t.name, t.members.users]),
      [
        ['ops', ['alice@example.com']],
        ['web', ['bob@example.com']],
      ],
    );
  });

  it('reports a cross-file problem in a cached file at the same file:line:col as without the cache', async () => {
    await run(nextProcess());
    await repo.commit({ 'roles/deployer.yaml': null }, { message: 'drop the role the team is granted' });
    const cached = await run(nextProcess());
    assert.ok(!cached.read.includes('teams/web.yaml'), 'the team file came from the cache');
    const uncached = validateRepo((await readSource({ repo: repo.dir })).files, { now: NOW });
    const problem = cached.diagnostics.find((d) => d.code === 'unknown-role');
    assert.ok(problem, JSON.stringify(cached.diagnostics));
    assert.equal(problem.file, 'teams/web.yaml');
    assert.ok(problem.line > 1);
    assert.deepEqual(cached.diagnostics, uncached.diagnostics);
    assert.equal(cached.model, undefined);
  });

  it('never caches a file with a problem of its own: it is parsed and reported again on every run', async () => {
    const web = await fixture('teams/web.yaml');
    await repo.commit({ 'teams/web.yaml': web.replace('members:', 'membres:') }, { message: 'typo' });
    const first = await run(nextProcess());
    const second = await run(nextProcess());
    assert.deepEqual(second.read, ['teams/web.yaml']);
    assert.deepEqual(second.diagnostics, first.diagnostics);
    assert.ok(second.diagnostics.some((d) => d.file === 'teams/web.yaml' && d.severity === 'error'));
  });

  it('reads nothing written under another Roster version or other schemas', async () => {
    const inputs = { roster: '1.0.0', schemas: 'a'.repeat(64), libraries: { yaml: '2.9.1' }, code: ['x'] };
    await run(nextProcess(cacheKeyOf(inputs)));
    assert.deepEqual((await run(nextProcess(cacheKeyOf(inputs)))).read, []);
    for (const changed of [
      { ...inputs, roster: '1.0.1' },
      { ...inputs, schemas: 'b'.repeat(64) },
    ]) {
      assert.notEqual(cacheKeyOf(changed), cacheKeyOf(inputs));
      assert.equal((await run(nextProcess(cacheKeyOf(changed)))).read.length, 4);
    }
  });
});

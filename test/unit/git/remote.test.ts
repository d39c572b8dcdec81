import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSource } from '../../../src/source/index.js';
import { reasonOf } from '../../../src/source/errors.js';
import { parseRemote, redact } from '../../../src/git/url.js';
import { TestRepo } from '../../support/git/repo.js';
import { startGitHttpServer, type GitHttpServer } from '../../support/git/http-server.js';

const TOKEN = 's3cr3t-token-value';
const team = (role: string): string =>
  `apiVersion: roster/v1\nkind: Team\nmetadata: {name: t}\nspec:\n  grants: [{role: ${role}, namespaces: [a]}]\n`;

/** Pushes the work repo into the served bare repository with the git binary (test set-up only). */
function push(work: TestRepo, bare: string, ref = 'main'): void {
  const result = spawnSync('git', ['push', '--quiet', '--force', bare, `${ref}:${ref}`, '--tags'], {
    cwd: work.dir,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
}

describe('source: remote repositories over http', function () {
  this.timeout(30_000);
  let work: TestRepo;
  let root: string;
  let cache: string;
  let server: GitHttpServer;
  let url: string;
  const saved = { token: process.env.ROSTER_GIT_TOKEN, user: process.env.ROSTER_GIT_USERNAME };

  before(async function () {
    assert.equal(
      spawnSync('git', ['--version']).status,
      0,
      'git (for git http-backend, the test server) is needed: apt-get install git',
    );
    work = await TestRepo.create();
    root = await mkdtemp(join(tmpdir(), 'roster-served-'));
    cache = await mkdtemp(join(tmpdir(), 'roster-cache-'));
    spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', join(root, 'config.git')]);
    await work.commit({ 'teams/t.yaml': team('viewer') }, { message: 'one' });
    await work.commit({ 'teams/t.yaml': team('editor') }, { message: 'two' });
    await work.tag('v2', { message: 'release 2' });
    push(work, join(root, 'config.git'));
    server = await startGitHttpServer({ root, credentials: { username: 'roster', password: TOKEN } });
    url = `${server.url}/config.git`;
  });
  after(async () => {
    process.env.ROSTER_GIT_TOKEN = saved.token;
    process.env.ROSTER_GIT_USERNAME = saved.user;
    if (saved.token === undefined) delete process.env.ROSTER_GIT_TOKEN;
    if (saved.user === undefined) delete process.env.ROSTER_GIT_USERNAME;
    await server?.close();
    await Promise.all([
      work?.remove(),
      rm(root, { recursive: true, force: true }),
      rm(cache, { recursive: true, force: true }),
    ]);
  });

  it('refuses without credentials, suggesting ROSTER_GIT_TOKEN', async () => {
    delete process.env.ROSTER_GIT_TOKEN;
    await assert.rejects(readSource({ repo: url, cacheDir: cache }), (err: Error) => {
      assert.equal(reasonOf(err), 'fetch-failed');
      assert.match(err.message, /set ROSTER_GIT_TOKEN/);
      return true;
    });
  });

  it('clones shallow into the cache with the token from the environment, and reads the tip', async () => {
    process.env.ROSTER_GIT_TOKEN = TOKEN;
    process.env.ROSTER_GIT_USERNAME = 'roster';
    const snap = await readSource({ repo: url, cacheDir: cache });
    assert.equal(snap.commit, await work.head());
    assert.match(snap.files[0]?.text ?? '', /role: editor/);
    const [dir] = readdirSync(cache);
    assert.match(dir ?? '', /^[0-9a-f]{64}$/);
    assert.ok(existsSync(join(cache, dir ?? '', 'shallow')), 'the cache is a shallow clone');
    assert.ok(server.authorizations.some((a) => a?.startsWith('Basic ')));
  });

  it('fetches new commits incrementally into the same cache', async () => {
    await work.commit({ 'teams/t.yaml': team('owner') }, { message: 'three' });
    push(work, join(root, 'config.git'));
    const snap = await readSource({ repo: url, cacheDir: cache });
    assert.equal(snap.commit, await work.head());
    assert.match(snap.files[0]?.text ?? '', /role: owner/);
    assert.equal(readdirSync(cache).length, 1);
  });

  it('reads a tag', async () => {
    const snap = await readSource({ repo: url, ref: 'v2', cacheDir: cache });
    assert.match(snap.files[0]?.text ?? '', /role: editor/);
  });

  it('never shows credentials: a wrong token in the URL is masked in the error', async () => {
    delete process.env.ROSTER_GIT_TOKEN;
    const withCreds = url.replace('http://', 'http://roster:wrong-token-123@');
    await assert.rejects(readSource({ repo: withCreds, cacheDir: cache }), (err: Error) => {
      assert.equal(reasonOf(err), 'fetch-failed');
      assert.doesNotMatch(err.message + String((err.cause as Error | undefined)?.message), /wrong-token-123|s3cr3t/);
      assert.match(err.message, /^http:\/\/127\.0\.0\.1:\d+\/config\.git: fetch failed/);
      return true;
    });
  });
});

describe('git urls', () => {
  it('moves credentials out of the URL and masks them', () => {
    const remote = parseRemote('https://bob:tok%40en@example.com/org/repo.git', {});
    assert.equal(remote.url, 'https://example.com/org/repo.git');
    assert.deepEqual(remote.auth, { username: 'bob', password: 'tok@en' });
    assert.equal(redact('failed https://x:y@h/p with tok@en', remote.secrets), 'failed https://***@h/p with ***');
  });

  it('prefers ROSTER_GIT_TOKEN, with a default user name', () => {
    const remote = parseRemote('https://example.com/r.git', { ROSTER_GIT_TOKEN: 'abc' });
    assert.deepEqual(remote.auth, { username: 'x-access-token', password: 'abc' });
  });
});

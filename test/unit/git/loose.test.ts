import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { openLocal } from '../../../src/git/index.js';
import { readLoose, readLooseRef } from '../../../src/git/loose.js';

/** The git command line, without the developer's configuration. */
function git(dir: string, ...args: string[]): string {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' };
  const who = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];
  return execFileSync('git', [...who, ...args], { cwd: dir, env, encoding: 'utf8' }).trim();
}

const FILES: Record<string, string> = {
  'roster.yaml': 'apiVersion: roster/v1\nkind: Settings\n',
  'teams/web.yaml': 'kind: Team # é, ü: not ASCII\n',
  'teams/deep/ops.yaml': 'kind: Team\n',
};

async function filesAtHead(dir: string): Promise<Record<string, string>> {
  const { repo } = (await openLocal(dir))!;
  const tree = (await repo.treeAt(await repo.resolveCommit('HEAD'), ''))!;
  const out: Record<string, string> = {};
  for (const f of await repo.listTree(tree)) out[f.path] = await repo.readText(f.oid);
  return out;
}

describe('git: loose objects', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-loose-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'config');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the same files from a commit whether its objects are loose or packed', async () => {
    const blob = git(dir, 'rev-parse', 'HEAD:teams/web.yaml');
    assert.equal(readLoose(join(dir, '.git'), blob)?.content.toString('utf8'), FILES['teams/web.yaml']);
    assert.equal(readLooseRef(join(dir, '.git'), 'HEAD'), git(dir, 'rev-parse', 'HEAD'));
    assert.deepEqual(await filesAtHead(dir), FILES);
    git(dir, 'gc', '-q', '--prune=now');
    assert.equal(readLoose(join(dir, '.git'), blob), undefined, 'packed: not loose any more');
    assert.equal(readLooseRef(join(dir, '.git'), 'HEAD'), undefined, 'the branch is in packed-refs now');
    assert.deepEqual(await filesAtHead(dir), FILES);
  });

  it('reads only HEAD and full ref names from their files, never a path outside refs/', () => {
    for (const ref of ['main', 'refs/../HEAD', 'refs/heads/../../config', '/etc/passwd', 'objects'])
      assert.equal(readLooseRef(join(dir, '.git'), ref), undefined, ref);
    assert.equal(readLooseRef(join(dir, '.git'), 'refs/heads/main'), git(dir, 'rev-parse', 'HEAD'));
  });

  it('refuses a loose object whose bytes do not hash to its id', () => {
    const blob = git(dir, 'rev-parse', 'HEAD:roster.yaml');
    const path = join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
    const text = 'apiVersion: roster/v1\nkind: Settingz\n';
    chmodSync(path, 0o644);
    writeFileSync(path, deflateSync(Buffer.from(`blob ${text.length}\0${text}`)));
    assert.equal(readLoose(join(dir, '.git'), blob), undefined);
    writeFileSync(path, readFileSync(path).subarray(0, 10)); // cut short
    assert.equal(readLoose(join(dir, '.git'), blob), undefined);
  });
});

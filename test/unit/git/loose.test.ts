import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { openLocal } from '../../../src/git/index.js';
import { readLoose, readLooseRef } from '../../../src/git/loose.js';
import { Packs } from '../../../src/git/pack.js';

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

const packIndexes = (dir: string) =>
  readdirSync(join(dir, '.git', 'objects', 'pack'))
    .filter((n) => n.endsWith('.idx'))
    .map((n) => join(dir, '.git', 'objects', 'pack', n));

async function filesAtHead(dir: string): Promise<Record<string, string>> {
  const { repo } = (await openLocal(dir))!;
  const tree = (await repo.treeAt(await repo.resolveCommit('HEAD'), ''))!;
  const out: Record<string, string> = {};
  for (const f of await repo.listTree(tree)) out[f.path] = await repo.readText(f.oid);
  return out;
}

describe('git: loose and packed objects', () => {
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
    assert.equal(readLooseRef(join(dir, '.git'), 'HEAD'), git(dir, 'rev-parse', 'HEAD'), 'from packed-refs now');
    assert.equal(new Packs(join(dir, '.git')).read(blob)?.content.toString('utf8'), FILES['teams/web.yaml']);
    assert.deepEqual(await filesAtHead(dir), FILES);
  });

  it('reads only HEAD and full ref names from their files, never a path outside refs/', () => {
    for (const ref of ['main', 'refs/../HEAD', 'refs/heads/../../config', '/etc/passwd', 'objects'])
      assert.equal(readLooseRef(join(dir, '.git'), ref), undefined, ref);
    assert.equal(readLooseRef(join(dir, '.git'), 'refs/heads/main'), git(dir, 'rev-parse', 'HEAD'));
  });

  it('reads every version of a file from a pack, deltas included, exactly as git stores it', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `- user-${i}@example.com`);
    const versions = [0, 1, 2, 3].map((v) => [...lines.slice(v), `# version ${v}`, ''].join('\n'));
    const blobs: string[] = [];
    for (const text of versions) {
      writeFileSync(join(dir, 'teams', 'big.yaml'), text);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-q', '-m', 'next');
      blobs.push(git(dir, 'rev-parse', 'HEAD:teams/big.yaml'));
    }
    git(dir, 'gc', '-q', '--aggressive', '--prune=now');
    assert.match(git(dir, 'verify-pack', '-v', ...packIndexes(dir)), /chain length = [1-9]/, 'some object is a delta');
    const packs = new Packs(join(dir, '.git'));
    blobs.forEach((blob, v) => assert.equal(packs.read(blob)?.content.toString('utf8'), versions[v]));
    assert.equal(packs.read('0'.repeat(40)), undefined);
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
    assert.equal(readLoose(join(dir, '.git'), '../../../../etc/passwd'), undefined, 'not an object id');
  });
});

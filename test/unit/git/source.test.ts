import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readSource } from '../../../src/source/index.js';
import { reasonOf } from '../../../src/source/errors.js';
import { TestRepo } from '../../support/git/repo.js';

const team = (role: string): string =>
  `apiVersion: roster/v1\nkind: Team\nmetadata: {name: payments}\nspec:\n` +
  `  members: {users: [alice@example.com]}\n  grants: [{role: ${role}, namespaces: [payments]}]\n`;

async function rejects(promise: Promise<unknown>, reason: string): Promise<void> {
  await assert.rejects(
    promise,
    (err: unknown) => reasonOf(err) === reason || assert.fail(`expected ${reason}, got ${String(err)}`),
  );
}

describe('source: reading config from Git', () => {
  let repo: TestRepo;
  let first: string;
  let second: string;

  before(async () => {
    repo = await TestRepo.create();
    first = await repo.commit(
      { 'config/teams/payments.yaml': team('viewer'), 'README.md': '# not config\n' },
      { message: 'grant viewer' },
    );
    await repo.tag('v1', { message: 'release 1' });
    await repo.tag('light');
    second = await repo.commit({ 'config/teams/payments.yaml': team('editor') }, { message: 'grant editor' });
  });
  after(() => repo.remove());

  it('reads the files of HEAD and stamps the commit', async () => {
    const snap = await readSource({ repo: join(repo.dir, 'config') });
    assert.equal(snap.commit, second);
    assert.deepEqual(
      snap.files.map((f) => f.path),
      ['teams/payments.yaml'],
    );
    assert.match(snap.files[0]?.text ?? '', /role: editor/);
    assert.deepEqual(snap.warnings, []);
  });

  it('never reads an uncommitted edit', async () => {
    await writeFile(join(repo.dir, 'config/teams/payments.yaml'), team('owner'));
    try {
      const snap = await readSource({ repo: join(repo.dir, 'config') });
      assert.match(snap.files[0]?.text ?? '', /role: editor/);
    } finally {
      await writeFile(join(repo.dir, 'config/teams/payments.yaml'), team('editor'));
    }
  });

  it('reads uncommitted files with worktree: true, warning that no commit stands behind them', async () => {
    await writeFile(join(repo.dir, 'config/teams/payments.yaml'), team('owner'));
    try {
      const snap = await readSource({ repo: join(repo.dir, 'config'), worktree: true });
      assert.match(snap.files[0]?.text ?? '', /role: owner/);
      assert.equal(snap.commit, undefined);
      assert.match(snap.warnings[0] ?? '', /no commit stands behind them \(HEAD is [0-9a-f]{12}\)/);
    } finally {
      await writeFile(join(repo.dir, 'config/teams/payments.yaml'), team('editor'));
    }
  });

  it('stamps HEAD on a clean working tree read with worktree: true', async () => {
    const snap = await readSource({ repo: join(repo.dir, 'config'), worktree: true });
    assert.equal(snap.commit, second);
    assert.deepEqual(snap.warnings, []);
  });

  it('resolves branches, annotated and lightweight tags, abbreviated ids and ~N', async () => {
    for (const ref of ['main', 'v1', 'light', first.slice(0, 8), 'HEAD~1', 'main^']) {
      const snap = await readSource({ repo: join(repo.dir, 'config'), ref });
      assert.equal(snap.commit, ref === 'main' ? second : first, ref);
    }
  });

  it('reads a repository root and a bare repository', async () => {
    const root = await readSource({ repo: repo.dir });
    assert.deepEqual(
      root.files.map((f) => f.path),
      ['config/teams/payments.yaml'],
    );
    const bare = await readSource({ repo: join(repo.dir, '.git') });
    assert.equal(bare.commit, second);
  });

  it('fails with ref-not-found for an unknown ref and path-not-found for an uncommitted folder', async () => {
    await rejects(readSource({ repo: repo.dir, ref: 'nope' }), 'ref-not-found');
    await rejects(readSource({ repo: repo.dir, ref: 'HEAD~5' }), 'ref-not-found');
    await mkdir(join(repo.dir, 'fresh'), { recursive: true });
    await writeFile(join(repo.dir, 'fresh/a.yaml'), team('viewer'));
    await assert.rejects(
      readSource({ repo: join(repo.dir, 'fresh') }),
      /folder "fresh" is not in commit [0-9a-f]{12}; commit it, or pass --worktree/,
    );
  });

  it('refuses --worktree with --ref', async () => {
    await assert.rejects(readSource({ repo: repo.dir, worktree: true, ref: 'main' }), { code: 'UsageError' });
  });
});

describe('source: folders outside Git', () => {
  it('reads the folder from disk with a warning that no commit stands behind it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'roster-plain-'));
    try {
      await writeFile(join(dir, 'team.yaml'), team('viewer'));
      const snap = await readSource({ repo: dir });
      assert.deepEqual(
        snap.files.map((f) => f.path),
        ['team.yaml'],
      );
      assert.equal(snap.commit, undefined);
      assert.match(snap.warnings[0] ?? '', /not inside a Git repository; no commit stands behind these files/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a repository without commits from disk, with a warning', async () => {
    const repo = await TestRepo.create();
    try {
      await writeFile(join(repo.dir, 'team.yaml'), team('viewer'));
      const snap = await readSource({ repo: repo.dir });
      assert.equal(snap.files.length, 1);
      assert.match(snap.warnings[0] ?? '', /has no commits yet/);
    } finally {
      await repo.remove();
    }
  });

  it("reads a linked worktree (git worktree add) at its own HEAD, not the main checkout's", async () => {
    const repo = await TestRepo.create();
    const first = await repo.commit({ 'config/teams/payments.yaml': team('viewer') }, { message: 'one' });
    await repo.commit({ 'config/teams/payments.yaml': team('editor') }, { message: 'two' });
    const linked = join(repo.dir, '..', `${basename(repo.dir)}-linked`);
    const git = (...args: string[]) => {
      const res = spawnSync('git', ['-C', repo.dir, ...args], { encoding: 'utf8' });
      assert.equal(res.status, 0, `git ${args.join(' ')} failed (is git installed?): ${res.stderr}`);
    };
    git('worktree', 'add', '--quiet', '--detach', linked, first);
    try {
      const snap = await readSource({ repo: join(linked, 'config'), worktree: true });
      assert.equal(snap.commit, first, 'the linked worktree is at the first commit, the main checkout at the second');
      assert.deepEqual(snap.warnings, []);
    } finally {
      git('worktree', 'remove', '--force', linked);
      await repo.remove();
    }
  });
});

describe('source: linked worktrees (git worktree add)', () => {
  it("reads the commit the worktree's own HEAD names, not the main checkout's", async () => {
    const repo = await TestRepo.create();
    const linked = await mkdtemp(join(tmpdir(), 'roster-linked-'));
    try {
      const first = await repo.commit({ 'teams/payments.yaml': team('viewer') }, { message: 'viewer' });
      await repo.branch('feature');
      await repo.commit({ 'teams/payments.yaml': team('editor') }, { message: 'editor' });
      // What `git worktree add <linked> feature` writes: a private gitdir naming the shared one, and a .git file.
      const privateDir = join(repo.dir, '.git', 'worktrees', 'linked');
      await mkdir(privateDir, { recursive: true });
      await writeFile(join(privateDir, 'HEAD'), 'ref: refs/heads/feature\n');
      await writeFile(join(privateDir, 'commondir'), '../..\n');
      await writeFile(join(linked, '.git'), `gitdir: ${privateDir}\n`);
      await writeFile(join(linked, 'payments.yaml'), team('owner'));
      const snap = await readSource({ repo: linked });
      assert.equal(snap.commit, first);
      assert.match(snap.files.find((f) => f.path === 'teams/payments.yaml')?.text ?? '', /role: viewer/);
      assert.deepEqual(snap.warnings, []);
    } finally {
      await rm(linked, { recursive: true, force: true });
      await repo.remove();
    }
  });
});

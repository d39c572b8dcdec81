/**
 * grant / revoke / request / tidy with bad input, as a new user would type it: each case exits 2 with one message that
 * names what is wrong and how to fix it, prints no stack trace, changes no file, and makes no commit or branch. The
 * repository is a real Git repository (isomorphic-git); --push cases use remotes Roster cannot push to.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import git from 'isomorphic-git';
import { run } from '../../../src/cli/main.js';
import { TestRepo } from '../../support/git/repo.js';

const FILES = {
  'access/roster.yaml': `apiVersion: roster/v1
kind: Settings
metadata: {name: roster}
spec:
  grantPolicy:
    - roles: [editor]
      clusters: {matchLabels: {env: prod}}
      maxDuration: 30d
`,
  'access/clusters.yaml': `apiVersion: roster/v1
kind: Cluster
metadata: {name: prod-eu, labels: {env: prod}}
spec: {context: prod-eu}
`,
  'access/teams/payments.yaml': `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members: {users: [alice@example.com]}
  grants: [{role: viewer, namespaces: [payments]}]
`,
};
const GRANT = ['grant', 'user:bob@example.com', 'viewer', '-n', 'payments'];

interface Case {
  name: string;
  args: string[];
  /** The whole of standard error, or a pattern for it. */
  err: RegExp;
  /** Changes the repository (and the environment) before the run; returns an undo for the environment. */
  setup?: (repo: TestRepo, config: string) => Promise<(() => void) | void>;
}

const CASES: Case[] = [
  {
    name: 'an unknown role',
    args: ['grant', 'user:bob@example.com', 'admin', '-n', 'payments'],
    err: /^error: unknown role "admin": built-in roles are viewer, editor, .*; or define a Role named "admin" first$/,
  },
  {
    name: 'an unknown cluster',
    args: [...GRANT, '--clusters', 'prod-us'],
    err: /^error: --clusters: unknown cluster "prod-us" \(did you mean "prod-eu"\?\); known clusters: prod-eu$/,
  },
  {
    name: 'labels no cluster has',
    args: [...GRANT, '-l', 'env=qa'],
    err: new RegExp(
      String.raw`^error: --selector env=qa: no cluster has these labels; known clusters: prod-eu ` +
        String.raw`\(labels: prod-eu \{env=prod\}\)$`,
    ),
  },
  {
    name: 'a subject without a kind',
    args: ['grant', 'alice', 'viewer', '-n', 'payments'],
    err: new RegExp(
      String.raw`^error: subject "alice": not of the form user:EMAIL, group:NAME or sa:NS\/NAME ` +
        String.raw`\(write user:alice@example\.com`,
    ),
  },
  {
    name: 'a subject without a name',
    args: ['grant', 'user:', 'viewer', '-n', 'payments'],
    err: /^error: subject "user:": the name after "user:" is missing/,
  },
  {
    name: 'a service account without its namespace',
    args: ['revoke', 'sa:nonamespace', 'viewer'],
    err: new RegExp(
      String.raw`^error: subject "sa:nonamespace": a service account is sa:NAMESPACE\/NAME in low` +
        String.raw`er case, e\.g\. sa:ci\/deployer$`,
    ),
  },
  {
    name: 'a subject ending in a line break',
    args: ['grant', 'user:a@b.c\n', 'viewer', '-n', 'payments'],
    err: /^error: subject "user:a@b\.c\\n": a name cannot contain spaces, tabs or line breaks/,
  },
  {
    name: 'a duration over policy',
    args: ['grant', 'user:bob@example.com', 'editor', '-n', 'payments', '--clusters', 'prod-eu', '--for', '31d'],
    err: new RegExp(
      String.raw`lasts 31d, longer than 30d \(Settings spec\.grantPolicy\[0\] .*\n.*\nerror: the ` +
        String.raw`edit would make the config invalid .*nothing was written$`,
    ),
  },
  {
    name: '--for 0s',
    args: [...GRANT, '--for', '0s'],
    err: /^error: --for "0s": the grant would end as it starts; give a positive duration like 20s, 30m/,
  },
  {
    name: '--for -1h',
    args: [...GRANT, '--for', '-1h'],
    err: /^error: --for "-1h": a grant cannot end before it starts; give a positive duration/,
  },
  {
    name: '--until in the past',
    args: [...GRANT, '--until', '2026-01-01'],
    err: /^error: --until "2026-01-01": lies in the past \(it is now 2026-12-02T02:00:00Z\); give a later time/,
  },
  {
    name: '--until a day that does not exist',
    args: [...GRANT, '--until', '2027-02-30'],
    err: /^error: --until "2027-02-30": no such date or time; write one like 2027-01-31/,
  },
  {
    name: 'request of a privileged role without --reason',
    args: ['request', 'cluster-owner', '--for', '1h', '--as', 'bob@example.com'],
    err: /^error: request: cluster-owner is a privileged role; say why with --reason/,
  },
  {
    name: 'request without an expiry',
    args: ['request', 'viewer', '-n', 'payments', '--as', 'bob@example.com'],
    err: /^error: request: a request must expire; give --for DURATION \(e\.g\. 2h\) or --until DATE$/,
  },
  {
    name: 'revoke from a team that does not exist',
    args: ['revoke', 'user:alice@example.com', '--team', 'paymnets'],
    err: /^error: --team paymnets: no team of that name in the repository; teams: payments$/,
  },
  {
    name: 'a dirty working tree',
    args: GRANT,
    setup: async (_repo, config) =>
      writeFile(join(config, 'teams/payments.yaml'), `${FILES['access/teams/payments.yaml']}# x\n`),
    err: new RegExp(
      String.raw`^error: .*: the config files differ from HEAD \(uncommitted changes\); commit or` +
        String.raw` stash them first, or pass --worktree`,
    ),
  },
  {
    name: 'a YAML syntax error in another file',
    args: GRANT,
    setup: async (repo) =>
      void (await repo.commit({ 'access/roles/broken.yaml': 'kind: Role\nrules: [unclosed\n' }, { message: 'oops' })),
    err: new RegExp(
      String.raw`^roles\/broken\.yaml:\d+:\d+ .*\n(.*\n)*error: .* is invalid before any edit; fi` +
        String.raw`x it first \(nothing was written\)$`,
    ),
  },
  {
    name: '--push to an ssh:// remote',
    args: [...GRANT, '--push', '--branch', 'bob-viewer'],
    setup: (repo) => setOrigin(repo, 'ssh://git@git.example.com/acme/access.git'),
    err: new RegExp(
      String.raw`^error: --push: origin is ssh://git@git\.example\.com/acme/access\.git, an ssh remote; Roster pushes ` +
        String.raw`over http\(s\) only \(it has no ssh transport\)\. ` +
        String.raw`Commit with Roster and push with git instead: run the same command with --commit --branch ` +
        String.raw`bob-viewer \(without --push\), then git push -u origin ` +
        String.raw`bob-viewer\..*nothing was written$`,
    ),
  },
  {
    name: '--push to an scp-style remote',
    args: [...GRANT, '--push'],
    setup: (repo) => setOrigin(repo, 'git@git.example.com:acme/access.git'),
    err: new RegExp(
      String.raw`^error: --push: origin is git@git\.example\.com:acme\/access\.git, an ssh remote` +
        String.raw`; .* git push -u origin roster\/grant-bob-viewer-20261202-020000\.`,
    ),
  },
  {
    name: '--push to an unreachable remote, with credentials in the URL and the environment',
    args: [...GRANT, '--push'],
    setup: async (repo) => {
      await setOrigin(repo, `https://bob:url-secret-1@127.0.0.1:${await closedPort()}/access.git`);
      process.env.ROSTER_GIT_TOKEN = 'env-secret-2';
      return () => delete process.env.ROSTER_GIT_TOKEN;
    },
    err: new RegExp(
      String.raw`^error: --push: https:\/\/127\.0\.0\.1:\d+\/access\.git: cannot push there: conn` +
        String.raw`ect ECONNREFUSED .*Check the URL, the network and ROSTER_GIT_TOKEN, or use --com` +
        String.raw`mit --branch roster\/grant-bob-viewer-20261202-020000 now .*nothing was written$`,
    ),
  },
  {
    name: '--push without an origin',
    args: [...GRANT, '--push'],
    err: new RegExp(
      String.raw`^error: --push: the repository has no remote "origin" to push to; add one \(git ` +
        String.raw`remote add origin https:\/\/…\)`,
    ),
  },
  {
    name: '--commit on a branch that exists',
    args: [...GRANT, '--commit', '--branch', 'main'],
    err: new RegExp(
      String.raw`^error: --commit: a branch named main already exists; choose another with --bran` +
        String.raw`ch NAME; nothing was written$`,
    ),
  },
  {
    name: '--commit without a Git identity',
    args: [...GRANT, '--commit'],
    setup: async (repo) => {
      for (const path of ['user.name', 'user.email'])
        await git.setConfig({ fs, dir: repo.dir, path, value: undefined });
      const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
      process.env.HOME = process.env.XDG_CONFIG_HOME = repo.dir;
      return () => Object.assign(process.env, saved);
    },
    err: new RegExp(
      String.raw`^error: --commit: who commits\? set your Git identity: git config user\.name "Yo` +
        String.raw`ur Name" and git config user\.email`,
    ),
  },
];

describe('edit commands: bad input exits 2, says what to fix, and changes nothing', function () {
  this.timeout(30_000);
  let repo: TestRepo;
  let config: string;
  const saved = process.env.ROSTER_NOW;

  beforeEach(async function () {
    process.env.ROSTER_NOW = '2026-12-02T02:00:00Z';
    repo = await TestRepo.create('roster-edit-bad-');
    config = join(repo.dir, 'access');
    await repo.commit(FILES, { message: 'Set up' });
    await git.setConfig({ fs, dir: repo.dir, path: 'user.name', value: 'Bea Lead' });
    await git.setConfig({ fs, dir: repo.dir, path: 'user.email', value: 'bea@example.com' });
  });
  afterEach(async function () {
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
    await repo.remove();
  });

  for (const c of CASES) {
    it(c.name, async function () {
      const undo = await c.setup?.(repo, config);
      try {
        const before = await state(repo.dir);
        const r = await roster(config, c.args);
        assert.equal(r.code, 2, r.err + r.out);
        assert.match(r.err.trimEnd(), c.err);
        assertNoLeak(r.out + r.err);
        assert.deepEqual(await state(repo.dir), before, 'no file, commit or branch changed');
      } finally {
        undo?.();
      }
    });
  }

  it('--commit outside a Git repository: refused before the files are written', async function () {
    const plain = await mkdtemp(join(tmpdir(), 'roster-edit-plain-'));
    try {
      await cp(config, plain, { recursive: true });
      const before = await files(plain);
      const r = await roster(plain, [...GRANT, '--commit']);
      assert.equal(r.code, 2);
      assert.match(
        r.err,
        /^error: --commit: .* is not inside a Git repository \(without --commit and --push Roster only/,
      );
      assert.deepEqual(await files(plain), before);
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });

  it('--commit in a repository with no commit yet: refused before the files are written', async function () {
    const fresh = await TestRepo.create('roster-edit-unborn-');
    try {
      await cp(config, fresh.dir, { recursive: true });
      const before = await files(fresh.dir);
      const r = await roster(fresh.dir, [...GRANT, '--commit', '--worktree']);
      assert.equal(r.code, 2);
      assert.match(r.err, /^error: --commit: the repository .* has no commit yet; commit the config first/);
      assert.deepEqual(await files(fresh.dir), before);
    } finally {
      await fresh.remove();
    }
  });
});

async function roster(dir: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run([...args, '--repo', dir], {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    color: false,
  });
  return { code, out, err };
}

function assertNoLeak(text: string): void {
  assert.ok(!/\n\s+at /.test(text), `no stack trace:\n${text}`);
  for (const secret of ['url-secret-1', 'env-secret-2']) assert.ok(!text.includes(secret), `${secret} printed`);
}

async function setOrigin(repo: TestRepo, url: string): Promise<void> {
  await git.setConfig({ fs, dir: repo.dir, path: 'remote.origin.url', value: url });
}

/** A local port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Every file of the working tree (not .git), HEAD's commit and branch, and the branches. */
async function state(dir: string) {
  const head = await git.resolveRef({ fs, dir, ref: 'HEAD' });
  return {
    files: await files(dir),
    head,
    branch: await git.currentBranch({ fs, dir }),
    all: await git.listBranches({ fs, dir }),
  };
}

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || relative(dir, path).startsWith('.git')) continue;
    out[relative(dir, path)] = await readFile(path, 'utf8');
  }
  return out;
}

/**
 * Symbolic links in a config repository are never followed: a link would read one file under another path, past the
 * review (CODEOWNERS) and the Delegation that path has. In a repository that delegates paths, a delegated folder
 * linking to a platform file, or a platform path linking into a delegated folder (any link), is refused at
 * file:line with exit 2, naming the delegations on either side, the same from a commit, from the working tree and
 * from a plain folder. A repository that delegates nothing gets a warning: the link is ignored.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '../../../src/cli/main.js';

const platform = `apiVersion: roster/v1
kind: Delegation
metadata: {name: payments}
spec:
  paths: ["teams/payments/**"]
  owners: {groups: [acme/payments-leads]}
  namespaces: [payments]
  ceiling: [viewer, editor]
---
apiVersion: roster/v1
kind: Team
metadata: {name: platform}
spec:
  members: {users: [ops@example.com]}
  grants: [{role: cluster-owner}]
`;

const team = `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members: {users: [pat@example.com]}
  grants: [{role: editor, namespaces: [payments]}]
`;

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

async function validate(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const io = { out: () => undefined, err: (t: string) => void (err += t), color: false };
  return { code: await run(['validate', ...args], io), err };
}

const refusals = (err: string) => err.split('\n').filter((l) => l.includes('symbolic link'));

describe('source: symbolic links are refused, never followed', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-links-'));
    const write = (rel: string, text: string) => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    write('platform.yaml', platform);
    write('teams/payments/team.yaml', team);
    // The delegated folder pointing at a platform file, and a platform path pointing into the delegated folder.
    symlinkSync('../../platform.yaml', join(dir, 'teams/payments/admins.yaml'));
    mkdirSync(join(dir, 'platform'));
    symlinkSync('../teams/payments/team.yaml', join(dir, 'platform/payments.yaml'));
    symlinkSync('/etc/hostname.yaml', join(dir, 'teams/payments/host.yaml'));
    symlinkSync('../platform.yaml', join(dir, 'platform/copy.yaml'));
    // A linked folder is not entered (Git stores it as one link, not as files).
    symlinkSync('../platform', join(dir, 'teams/payments/linked'));
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'links');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const expected = [
    'platform/copy.yaml:1:1 is a symbolic link (to "../platform.yaml"); Roster does not follow links in a config ' +
      'repository: the link sits in a platform path and points at platform.yaml, a platform file',
    'platform/payments.yaml:1:1 is a symbolic link (to "../teams/payments/team.yaml"); ' +
      'Roster does not follow links in a config repository: the link sits in a platform path and points at ' +
      'teams/payments/team.yaml, delegated by Delegation payments (ceiling viewer, editor; namespaces payments)',
    'teams/payments/admins.yaml:1:1 is a symbolic link (to "../../platform.yaml"); ' +
      'Roster does not follow links in a config repository: the link sits in a path delegated by Delegation ' +
      'payments (ceiling viewer, editor; namespaces payments) and points at platform.yaml, a platform file',
    'teams/payments/host.yaml:1:1 is a symbolic link (to "/etc/hostname.yaml"); ' +
      'Roster does not follow links in a config repository: the link sits in a path delegated by Delegation ' +
      'payments (ceiling viewer, editor; namespaces payments) and points at /etc/hostname.yaml, outside the repository',
  ];

  it('refuses them in a commit: exit 2, each at file:line with its target', async () => {
    const { code, err } = await validate(['--repo', dir]);
    assert.equal(code, 2, err);
    assert.deepEqual(refusals(err), expected);
    assert.match(err, /hint: a link would read one file under another path, past the review and the Delegation/);
  });

  it('refuses them the same way in the working tree and in a folder outside Git', async () => {
    const worktree = await validate(['--repo', dir, '--worktree']);
    assert.equal(worktree.code, 2, worktree.err);
    assert.deepEqual(refusals(worktree.err), expected);

    const plain = mkdtempSync(join(tmpdir(), 'roster-links-plain-'));
    try {
      cpSync(dir, plain, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes('.git') });
      const folder = await validate(['--repo', plain]);
      assert.equal(folder.code, 2, folder.err);
      assert.deepEqual(refusals(folder.err), expected);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('only warns in a repository that delegates nothing: the link is ignored, as it always was', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'roster-links-nodeleg-'));
    try {
      cpSync(dir, plain, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes('.git') });
      writeFileSync(join(plain, 'platform.yaml'), platform.slice(platform.indexOf('---\n') + 4));
      const folder = await validate(['--repo', plain]);
      assert.equal(folder.code, 0, folder.err);
      assert.deepEqual(
        refusals(folder.err).map((l) => l.replace(/ is a symbolic link.*/, '')),
        [
          'platform/copy.yaml:1:1 warning:',
          'platform/payments.yaml:1:1 warning:',
          'teams/payments/admins.yaml:1:1 warning:',
          'teams/payments/host.yaml:1:1 warning:',
        ],
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('validates once the links are gone', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'roster-links-none-'));
    try {
      cpSync(dir, plain, {
        recursive: true,
        filter: (src) =>
          !src.includes('.git') && !/admins\.yaml$|host\.yaml$|platform\/(payments|copy)\.yaml$|linked$/.test(src),
      });
      const folder = await validate(['--repo', plain]);
      assert.equal(folder.code, 0, folder.err);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

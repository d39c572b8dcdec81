/**
 * grant / revoke / request / tidy through the CLI, in a real Git repository written with isomorphic-git: exit codes
 * and messages for bad input (nothing written), the dirty-tree refusal, dry runs, commits on a new branch with
 * trailers that audit shows, tidy, and pushing over http with the remote-source credentials.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { roster as cli } from '../../support/cli.js';
import { startGitHttpServer } from '../../support/git/http-server.js';
import { TestRepo } from '../../support/git/repo.js';

const SETTINGS = `apiVersion: roster/v1
kind: Settings
metadata: {name: roster}
spec:
  grantPolicy:
    - privileged: true
      maxDuration: 8h
      requireReason: true
    - roles: [editor]
      clusters: {matchLabels: {env: prod}}
      maxDuration: 30d
`;
const CLUSTERS = `apiVersion: roster/v1
kind: Cluster
metadata: {name: prod-eu, labels: {env: prod}}
spec: {context: prod-eu}
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: staging-eu, labels: {env: staging}}
spec: {context: staging-eu}
`;
const PAYMENTS = `# yaml-language-server: $schema=../../schemas/team.json
apiVersion: roster/v1
kind: Team
metadata:
  name: payments
spec:
  members:
    users: [alice@example.com]
  grants:
    - role: viewer
      namespaces: [payments]
`;
const TOKENS = `apiVersion: roster/v1
kind: AccessToken
metadata: {name: old-ci}
spec: {owner: payments, expires: 2026-11-01T00:00:00Z, grants: [{role: viewer, namespaces: [payments]}]}
---
apiVersion: roster/v1
kind: AccessToken
metadata: {name: ci}
spec: {owner: payments, expires: 2027-01-01T00:00:00Z, grants: [{role: viewer, namespaces: [payments]}]}
`;
const NOW = '2026-12-02T02:00:00Z';

describe('edit commands: grant, revoke, request, tidy', function () {
  this.timeout(30_000);
  let repo: TestRepo;
  let config: string;
  const saved = process.env.ROSTER_NOW;

  beforeEach(async function () {
    process.env.ROSTER_NOW = NOW;
    repo = await TestRepo.create('roster-edit-');
    config = join(repo.dir, 'access');
    await repo.commit(
      {
        'access/roster.yaml': SETTINGS,
        'access/clusters.yaml': CLUSTERS,
        'access/teams/payments.yaml': PAYMENTS,
        'access/tokens.yaml': TOKENS,
      },
      {
        message: 'Set up',
        author: { name: 'Setup', email: 'setup@example.com' },
        date: new Date('2026-12-01T00:00:00Z'),
      },
    );
    await git.setConfig({ fs, dir: repo.dir, path: 'user.name', value: 'Bea Lead' });
    await git.setConfig({ fs, dir: repo.dir, path: 'user.email', value: 'bea@example.com' });
  });
  afterEach(async function () {
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
    await repo.remove();
  });

  async function roster(...args: string[]) {
    const { code, stdout, stderr } = await cli([...args, '--repo', config]);
    return { code, out: stdout, err: stderr };
  }
  /** `grant user:alice@example.com editor -n payments --clusters prod-eu --for DURATION`. */
  const editorOnProd = (duration: string) =>
    roster('grant', 'user:alice@example.com', 'editor', '-n', 'payments', '--clusters', 'prod-eu', '--for', duration);
  const payments = () => readFile(join(config, 'teams/payments.yaml'), 'utf8');
  const headMessage = async () =>
    (await git.readCommit({ fs, dir: repo.dir, oid: await git.resolveRef({ fs, dir: repo.dir, ref: 'HEAD' }) })).commit
      .message;

  it('grant prints the file diff and the access change, and writes the file', async function () {
    const r = await roster('grant', 'user:alice@example.com', 'editor', '-n', 'payments', '-l', 'env=staging');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\+\+\+ b\/teams\/payments\.yaml\n/);
    assert.match(
      r.out,
      /\+ {4}- role: editor\n\+ {6}namespaces: \[payments\]\n\+ {6}clusters: \{matchLabels: \{env: staging\}\}\n/,
    );
    assert.match(r.out, /\+ alice@example\.com gains editor in payments on staging-eu \(via team payments\)/);
    assert.match(await payments(), /clusters: \{matchLabels: \{env: staging\}\}\n$/);
  });

  it('the same --for grant run again later shows the extension as an access change', async function () {
    let r = await editorOnProd('4h');
    assert.equal(r.code, 0, r.err);
    await repo.commit({ 'access/teams/payments.yaml': await payments() }, { message: 'first grant' });
    process.env.ROSTER_NOW = '2026-12-02T03:00:00Z';
    r = await editorOnProd('4h');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /-\s+expires: 2026-12-02T06:00:00Z\n\+\s+expires: 2026-12-02T07:00:00Z\n/);
    assert.doesNotMatch(r.out, /No access changes/);
    assert.match(
      r.out,
      new RegExp(
        String.raw`~ alice@example\.com editor in payments on prod-eu: ` +
          String.raw`until 2026-12-02T06:00:00Z → until 2026-12-02T07:00:00Z \(extended\) \(via team payments\)`,
      ),
    );
  });

  it('rejects a subject of the wrong form with exit 2 and writes nothing', async function () {
    const r = await roster('grant', 'alice@example.com', 'editor', '-n', 'payments');
    assert.equal(r.code, 2);
    assert.match(r.err, /subject "alice@example\.com": not of the form user:EMAIL, group:NAME or sa:NS\/NAME/);
    assert.equal(await payments(), PAYMENTS);
  });

  it('an unknown role or cluster: one message naming the known ones, exit 2, nothing written', async function () {
    let r = await roster('grant', 'user:alice@example.com', 'edtor', '-n', 'payments');
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'error: unknown role "edtor" (did you mean "editor"?): built-in roles are viewer, editor, owner, ' +
        'cluster-viewer, cluster-editor, cluster-owner; or define a Role named "edtor" first\n',
    );
    r = await roster('grant', 'user:alice@example.com', 'viewer', '-n', 'payments', '--clusters', 'prod-us');
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'error: --clusters: unknown cluster "prod-us" (did you mean "prod-eu"?); known clusters: prod-eu, staging-eu\n',
    );
    r = await roster('revoke', 'user:alice@example.com', 'veiwer');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown role "veiwer" \(did you mean "viewer"\?\)/);
    assert.equal(await payments(), PAYMENTS);
  });

  it('rejects a duration over policy, naming the rule; nothing written', async function () {
    const r = await editorOnProd('45d');
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      new RegExp(
        String.raw`teams\/payments\.yaml:15:\d+ spec\.grants\[1\]\.expires: grant of role "editor" lasts 45d, longer ` +
          String.raw`than 30d \(Settings spec\.grantPolicy\[1\] \(roster\.yaml:9:7\): editor on clusters env=prod: ` +
          String.raw`at most 30d, expiry required\)`,
      ),
    );
    assert.equal(await payments(), PAYMENTS);
  });

  it('fails validate on a hand-written grant that breaks the policy, at file:line with the rule', async function () {
    await writeFile(join(config, 'teams/payments.yaml'), `${PAYMENTS}    - role: cluster-owner\n`);
    const r = await roster('validate', '--worktree');
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      new RegExp(
        String.raw`teams\/payments\.yaml:12:7 spec\.grants\[1\]: grant of role "cluster-owner" must expire ` +
          String.raw`\(Settings spec\.grantPolicy\[0\] \(roster\.yaml:6:7\): privileged roles: at most 8h, expiry ` +
          String.raw`required, reason required\)\n {2}hint: add expires: 2026-12-02T10:00:00Z or earlier`,
      ),
    );
  });

  it('refuses a dirty working tree unless --worktree', async function () {
    await writeFile(join(config, 'teams/payments.yaml'), PAYMENTS.replace('alice', 'alicia'));
    let r = await roster('grant', 'user:bob@example.com', 'viewer', '-n', 'payments', '--team', 'payments');
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /the config files differ from HEAD \(uncommitted changes\); commit or stash them first, or pass --worktree/,
    );
    r = await roster('grant', 'user:bob@example.com', 'viewer', '-n', 'payments', '--team', 'payments', '--worktree');
    assert.equal(r.code, 0, r.err);
    assert.match(await payments(), /users: \[alicia@example\.com, bob@example\.com\]/);
  });

  it('--dry-run writes nothing; a second identical grant is a no-op with a message', async function () {
    let r = await roster('grant', 'user:alice@example.com', 'viewer', '-n', 'payments', '--dry-run');
    assert.equal(r.code, 0);
    assert.match(
      r.out,
      new RegExp(
        String.raw`team payments \(teams\/payments\.yaml\) already grants viewer in payments ` +
          String.raw`\(teams\/payments\.yaml:10\); nothing to change`,
      ),
    );
    r = await roster('grant', 'group:payments-eng', 'viewer', '-n', 'payments', '--team', 'payments', '--dry-run');
    assert.equal(r.code, 0);
    assert.match(r.out, /\+ {4}groups: \[payments-eng\]/);
    assert.match(r.out, /dry run: nothing was written/);
    assert.equal(await payments(), PAYMENTS);
  });

  it('cluster-owner for a group needs --privileged (guardrail), a reason and an expiry in policy', async function () {
    let r = await roster('grant', 'group:sre', 'cluster-owner', '--for', '2h', '--reason', 'INC-9', '--dry-run');
    assert.equal(r.code, 2);
    assert.match(r.err, /guardrail cluster-owner-to-group/);
    r = await roster('grant', 'group:sre', 'cluster-owner', '--for', '2h', '--privileged', '--dry-run');
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      new RegExp(
        String.raw`Settings spec\.grantPolicy\[0\] \(privileged roles: at most 8h, expiry required, reason ` +
          String.raw`required\) needs a reason`,
      ),
    );
    r = await roster(
      'grant',
      'group:sre',
      'cluster-owner',
      '--for',
      '9h',
      '--privileged',
      '--reason',
      'INC-9',
      '--dry-run',
    );
    assert.equal(r.code, 2);
    assert.match(r.err, /grant of role "cluster-owner" lasts 9h, longer than 8h/);
    r = await roster(
      'grant',
      'group:sre',
      'cluster-owner',
      '--for',
      '2h',
      '--privileged',
      '--reason',
      'INC-9',
      '--dry-run',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(
        String.raw`\+ {4}- role: cluster-owner\n\+ {6}expires: 2026-12-02T04:00:00Z\n` +
          String.raw`\+ {6}description: INC-9\n\+ {6}privileged: true\n`,
      ),
    );
  });

  it('warns about a namespace pattern that matches nothing anywhere', async function () {
    const r = await roster('grant', 'user:alice@example.com', 'viewer', '-n', 'paymnts-*', '--dry-run');
    assert.equal(r.code, 0);
    assert.match(r.err, /warning: namespace pattern paymnts-\* matches no namespace named anywhere in the config/);
  });

  it('request uses the Git author, must expire, and needs a reason for privileged roles', async function () {
    let r = await roster('request', 'editor', '-n', 'payments');
    assert.equal(r.code, 2);
    assert.match(r.err, /a request must expire/);
    r = await roster('request', 'cluster-owner', '--for', '2h');
    assert.equal(r.code, 2);
    assert.match(r.err, /cluster-owner is a privileged role; say why with --reason/);
    r = await roster('request', 'editor', '-n', 'payments', '--for', '2h', '--reason', 'INC-1234', '--commit');
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(
        String.raw`created team bea \(teams\/bea\.yaml\) with bea@example\.com and grant editor in payments until ` +
          String.raw`2026-12-02T04:00:00Z`,
      ),
    );
    const message = await headMessage();
    assert.match(message, /^Request editor in payments until 2026-12-02T04:00:00Z for bea@example\.com\n/);
    assert.match(
      message,
      /\n\nRoster-Reason: INC-1234\nRoster-Expires: 2026-12-02T04:00:00Z\nRoster-Requested-By: bea@example\.com\n$/,
    );
    assert.match(
      (await git.currentBranch({ fs, dir: repo.dir })) ?? '',
      /^roster\/request-bea-editor-20261202-020000$/,
    );
    const audit = await roster('audit', '--subject', 'bea@example.com');
    assert.match(
      audit.out,
      new RegExp(
        String.raw`Bea Lead <bea@example\.com> {2}Request editor .*\n` +
          String.raw` {4}\+ bea@example\.com gains editor in payments .*\n` +
          String.raw` {4}Reason: INC-1234; Expires: 2026-12-02T04:00:00Z; Requested-By: bea@example\.com`,
      ),
    );
  });

  it('-o markdown prints a pull-request body with the access review and the file diff', async function () {
    const r = await roster(
      'grant',
      'user:zoe@example.com',
      'viewer',
      '-n',
      'payments',
      '--reason',
      'new hire',
      '--dry-run',
      '-o',
      'markdown',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^## Grant viewer in payments to zoe@example\.com\n\n- \*\*Reason:\*\* new hire\n/);
    assert.match(r.out, /### Access change\n/);
    assert.match(r.out, /➕ zoe@example\.com gains `viewer` in `payments` on `prod-eu`, `staging-eu` \(via team zoe\)/);
    assert.match(r.out, /```diff\n--- \/dev\/null\n\+\+\+ b\/teams\/zoe\.yaml\n/);
    assert.match(r.out, /\+# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/team\.json\n/);
  });

  it('revoke says what it removed and what access remains', async function () {
    let r = await roster('revoke', 'user:alice@example.com', 'viewer', '--commit', '--reason', 'left the team');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /removed grant viewer in payments from team payments \(teams\/payments\.yaml\)/);
    assert.match(r.out, /- alice@example\.com loses viewer in payments on prod-eu, staging-eu \(via team payments\)/);
    assert.match(r.out, /alice@example\.com now has no access through any team/);
    assert.match(await headMessage(), /\n\nRoster-Reason: left the team\n$/);
    r = await roster('revoke', 'user:alice@example.com', 'viewer');
    assert.equal(r.code, 0);
    assert.match(
      r.out,
      /alice@example\.com has no grant of viewer through a team it is a member of; nothing to revoke/,
    );
  });

  it('revoke asks which team when several grant the role, then lists what the other team gives', async function () {
    let r = await roster('grant', 'user:alice@example.com', 'viewer', '-n', 'ops', '--team', 'oncall', '--commit');
    assert.equal(r.code, 0, r.err);
    r = await roster('revoke', 'user:alice@example.com', 'viewer');
    assert.equal(r.code, 2);
    assert.equal(
      r.err,
      'error: alice@example.com holds viewer in 2 teams: team oncall (teams/oncall.yaml), ' +
        'team payments (teams/payments.yaml); choose one with --team NAME\n',
    );
    r = await roster('revoke', 'user:alice@example.com', 'viewer', '--team', 'payments');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /removed grant viewer in payments from team payments \(teams\/payments\.yaml\)\n/);
    assert.match(
      r.out,
      new RegExp(
        String.raw`alice@example\.com still has:\n {2}viewer in ops \(via team oncall\) on prod-eu,` +
          String.raw` staging-eu\n {2}\(access through identity-provider groups is not known offline`,
      ),
    );
  });

  it('tidy removes expired grants and tokens in a commit of its own', async function () {
    let r = await roster(
      'grant',
      'user:alice@example.com',
      'editor',
      '-n',
      'payments',
      '--until',
      '2026-12-02T03:00:00Z',
      '--commit',
    );
    assert.equal(r.code, 0, r.err);
    process.env.ROSTER_NOW = '2026-12-02T05:00:00Z';
    r = await roster('tidy', '--commit');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /removed token old-ci \(tokens\.yaml\): expired 2026-11-01T00:00:00Z/);
    assert.match(
      r.out,
      new RegExp(
        String.raw`removed grant editor in payments until 2026-12-02T03:00:00Z from team payments ` +
          String.raw`\(teams\/payments\.yaml\): expired`,
      ),
    );
    assert.equal(await payments(), PAYMENTS);
    const tokens = await readFile(join(config, 'tokens.yaml'), 'utf8');
    assert.ok(!tokens.includes('old-ci') && tokens.includes('name: ci}'), tokens);
    assert.match(
      await headMessage(),
      /^Tidy: remove 2 expired entries\n[^]*\n\nRoster-Tidy: 2 expired entries removed\n$/,
    );
    const audit = await roster('audit');
    assert.match(
      audit.out,
      new RegExp(
        String.raw`2026-12-02 05:00 {2}[0-9a-f]{12} {2}Bea Lead <bea@example\.com> {2}` +
          String.raw`Tidy: remove 2 expired entries\n` +
          String.raw` {4}⏱ alice@example\.com loses editor in payments on prod-eu, staging-eu \(expired\) ` +
          String.raw`\(via team payments\)\n(.*\n)*? {4}Tidy: 2 expired entries removed\n`,
      ),
    );
    r = await roster('tidy');
    assert.match(r.out, /no grant or token has expired; nothing to tidy/);
  });

  it('--push pushes the branch over http with ROSTER_GIT_TOKEN and never prints it', async function () {
    assert.equal(spawnSync('git', ['--version']).status, 0, 'git (for git http-backend, the test server) is needed');
    const root = await mkdtemp(join(tmpdir(), 'roster-push-'));
    const bare = join(root, 'access.git');
    spawnSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    spawnSync('git', ['config', 'http.receivepack', 'true'], { cwd: bare });
    const server = await startGitHttpServer({ root, credentials: { username: 'roster', password: 'tok-123-secret' } });
    const savedToken = process.env.ROSTER_GIT_TOKEN;
    try {
      await git.setConfig({ fs, dir: repo.dir, path: 'remote.origin.url', value: `${server.url}/access.git` });
      process.env.ROSTER_GIT_TOKEN = 'wrong-token';
      let r = await roster(
        'grant',
        'user:alice@example.com',
        'editor',
        '-n',
        'payments',
        '-l',
        'env=staging',
        '--push',
        '--branch',
        'try-1',
      );
      // The remote refuses the token before anything is written or committed.
      assert.equal(r.code, 2);
      assert.match(r.err, /--push: http:\/\/127\.0\.0\.1:\d+\/access\.git: cannot push there: .*nothing was written/);
      assert.ok(!(r.out + r.err).includes('wrong-token'));
      assert.equal(await payments(), PAYMENTS);
      assert.equal(await git.currentBranch({ fs, dir: repo.dir }), 'main');
      process.env.ROSTER_GIT_TOKEN = 'tok-123-secret';
      process.env.ROSTER_GIT_USERNAME = 'roster';
      r = await roster(
        'grant',
        'user:alice@example.com',
        'editor',
        '-n',
        'payments',
        '-l',
        'env=staging',
        '--push',
        '--branch',
        'alice-editor',
      );
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /pushed alice-editor to http:\/\/127\.0\.0\.1:\d+\/access\.git/);
      assert.ok(!(r.out + r.err).includes('tok-123-secret'));
      const listed = spawnSync('git', ['log', '--format=%s', 'alice-editor'], { cwd: bare, encoding: 'utf8' });
      assert.match(
        listed.stdout,
        /^Grant editor in payments on clusters labelled env=staging to alice@example\.com\nSet up\n$/,
      );
    } finally {
      if (savedToken === undefined) delete process.env.ROSTER_GIT_TOKEN;
      else process.env.ROSTER_GIT_TOKEN = savedToken;
      delete process.env.ROSTER_GIT_USERNAME;
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

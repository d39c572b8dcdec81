/**
 * The whole life of a temporary grant on the real control plane: `roster grant --for 20s --commit` writes and commits
 * it, apply makes alice's real request allowed, `roster serve` removes the binding when it expires without any new
 * commit, `roster tidy --commit` removes the dead entry; a permanent grant is revoked the same way and alice is
 * denied again; `roster audit` shows the reason and both authors.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { run } from '../../src/cli/main.js';
import { ServeProcess } from '../support/serve-process.js';
import { TestRepo } from '../support/git/repo.js';
import { controlPlane } from './fixtures.js';
import { bindingPath, cleanUp, createNamespace, get, podReader, repoYaml, unique } from './reconcile-support.js';

describe('grant, expiry, tidy and revoke as Git changes, on a real API server', function () {
  const instance = unique('it-grant');
  const temporary = unique('incident');
  const lasting = unique('ledger');
  const base = unique('base');
  const role = unique('pod-reader');
  let repo: TestRepo;
  let config: string;
  let serve: ServeProcess | undefined;
  let grantedAt = 0;

  before(async function () {
    for (const ns of [temporary, lasting, base]) await createNamespace('east', ns);
    repo = await TestRepo.create('roster-it-grant-');
    config = join(repo.dir, 'config');
    const yaml = repoYaml({
      instance,
      clusters: [{ name: 'east' }],
      roles: [podReader(role)],
      // Bob keeps the desired state non-empty once alice's grants are gone (an empty one is refused by design).
      teams: [{ name: 'base', users: ['bob@example.com'], grants: [{ role, namespaces: [base] }] }],
    });
    await repo.commit({ 'config/roster.yaml': yaml }, { message: 'Set up', author: { name: 'Setup', email: 's@x' } });
  });

  after(async function () {
    await serve?.kill();
    await repo?.remove();
    await cleanUp(instance, [temporary, lasting, base]);
  });

  async function roster(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), color: false });
    return { code, out, err };
  }
  const as = async (name: string, email: string) => {
    await git.setConfig({ fs, dir: repo.dir, path: 'user.name', value: name });
    await git.setConfig({ fs, dir: repo.dir, path: 'user.email', value: email });
  };
  const apply = async () => {
    const r = await roster('apply', '--repo', config, '--kubeconfig', controlPlane().kubeconfigPath);
    assert.equal(r.code, 0, r.err + r.out);
  };
  const alice = (namespace: string, expected: boolean, timeoutMs = 20_000) =>
    controlPlane().waitForAccess({
      cluster: 'east',
      user: 'alice@example.com',
      verb: 'list',
      resource: 'pods',
      namespace,
      expected,
      timeoutMs,
    });
  const head = () => git.resolveRef({ fs, dir: repo.dir, ref: 'HEAD' });
  const binding = `roster:team:alice:${role}`;

  it('grant --for 20s --commit writes a new team file on a new branch; apply lets alice in', async function () {
    await as('Grace Granter', 'grace@example.com');
    grantedAt = Date.now();
    const r = await roster(
      'grant',
      'user:alice@example.com',
      role,
      '-n',
      temporary,
      '--for',
      '20s',
      '--reason',
      'INC-42',
      '--commit',
      '--repo',
      config,
    );
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /created team alice \(teams\/alice\.yaml\)/);
    assert.match(
      r.out,
      new RegExp(`\\+ alice@example\\.com gains ${role} in ${temporary} on east \\(via team alice\\)`),
    );
    assert.match(r.out, /committed [0-9a-f]{12} on branch roster\/grant-alice-/);
    const branch = await git.currentBranch({ fs, dir: repo.dir });
    assert.match(branch ?? '', /^roster\/grant-alice-/);
    const { commit } = await git.readCommit({ fs, dir: repo.dir, oid: await head() });
    assert.match(commit.message, /\nRoster-Reason: INC-42\nRoster-Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    assert.deepEqual(commit.author.email, 'grace@example.com');
    await apply();
    await alice(temporary, true, Math.max(1_000, grantedAt + 19_000 - Date.now()));
  });

  it('after expiry roster serve removes the binding without a commit', async function () {
    const before = await head();
    serve = new ServeProcess(['--repo', config, '--kubeconfig', controlPlane().kubeconfigPath, '--interval', '2s']);
    await serve.started();
    await alice(temporary, false, Math.max(0, grantedAt + 20_000 - Date.now()) + 30_000);
    assert.equal(await get('east', bindingPath(temporary, binding)), undefined, 'the binding is gone');
    assert.equal(await head(), before, 'no commit was made');
    serve.signal('SIGTERM');
    await serve.exit;
    serve = undefined;
  });

  it('tidy --commit removes the expired grant as a commit of its own', async function () {
    await as('Tia Tidy', 'tia@example.com');
    const r = await roster('tidy', '--commit', '--repo', config);
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(
      r.out,
      new RegExp(`removed grant ${role} in ${temporary} until .* from team alice \\(teams/alice\\.yaml\\): expired`),
    );
    const text = await readFile(join(config, 'teams/alice.yaml'), 'utf8');
    assert.ok(!text.includes(temporary), text);
    const { commit } = await git.readCommit({ fs, dir: repo.dir, oid: await head() });
    assert.match(commit.message, /^Tidy: remove 1 expired entry\n/);
  });

  it('revoke --commit takes a lasting grant away; apply denies alice again', async function () {
    await as('Grace Granter', 'grace@example.com');
    let r = await roster(
      'grant',
      'user:alice@example.com',
      role,
      '-n',
      lasting,
      '--reason',
      'ledger migration',
      '--commit',
      '--repo',
      config,
    );
    assert.equal(r.code, 0, r.err + r.out);
    await apply();
    await alice(lasting, true);
    await as('Rex Revoker', 'rex@example.com');
    r = await roster(
      'revoke',
      'user:alice@example.com',
      role,
      '-n',
      lasting,
      '--reason',
      'migration done',
      '--commit',
      '--repo',
      config,
    );
    assert.equal(r.code, 0, r.err + r.out);
    assert.match(r.out, /alice@example\.com now has no access through any team/);
    await apply();
    await alice(lasting, false);
    assert.equal(await get('east', bindingPath(lasting, binding)), undefined);
  });

  it('audit shows the reasons and both authors', async function () {
    const { code, out } = await roster('audit', '--repo', config, '--subject', 'alice@example.com');
    assert.equal(code, 0, out);
    assert.match(out, /Grace Granter <grace@example\.com> {2}Grant .*\n(.*\n)*? {4}Reason: INC-42; Expires: /);
    assert.match(
      out,
      /Rex Revoker <rex@example\.com> {2}Revoke .*\n {4}- alice@example\.com loses .*\n {4}Reason: migration done/,
    );
    assert.match(out, /⏱ alice@example\.com loses .* \(expired\)/);
  });
});

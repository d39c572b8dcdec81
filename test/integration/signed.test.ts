/**
 * Signed commits on a real cluster: with --allowed-signers, an unsigned commit or one signed by an unknown key is
 * refused before any request reaches the cluster; a commit signed by an allowed key is applied.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { TestRepo } from '../support/git/repo.js';
import { sshKey } from '../support/git/sign.js';
import { controlPlane } from './fixtures.js';
import {
  bindingPath,
  cleanUp,
  createNamespace,
  get,
  podReader,
  repoYaml,
  rosterRequests,
  unique,
  type RepoSpec,
} from './reconcile-support.js';

describe('signed commits: only commits from allowed signers reach the cluster', function () {
  const instance = unique('it-signed');
  const namespace = unique('payments');
  const role = unique('pod-reader');
  const binding = `roster:team:payments:${role}`;
  const spec: RepoSpec = {
    instance,
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: [{ name: 'payments', users: ['alice@example.com'], grants: [{ role, namespaces: [namespace] }] }],
  };
  const trusted = sshKey();
  const stranger = sshKey();
  let repo: TestRepo;
  let keys: string;
  let signers: string;

  before(async function () {
    await createNamespace('east', namespace);
    repo = await TestRepo.create('roster-it-signed-');
    keys = await mkdtemp(join(tmpdir(), 'roster-it-signers-'));
    signers = join(keys, 'allowed_signers');
    await writeFile(signers, `ada@example.com ${trusted.publicLine}\n`);
  });

  after(async function () {
    await repo?.remove();
    await rm(keys, { recursive: true, force: true });
    await cleanUp(instance, [namespace]);
  });

  async function apply(): Promise<{ code: number; err: string }> {
    let err = '';
    const code = await run(
      ['apply', '--repo', repo.dir, '--kubeconfig', controlPlane().kubeconfigPath, '--allowed-signers', signers],
      {
        out: () => undefined,
        err: (t) => void (err += t),
        color: false,
      },
    );
    return { code, err };
  }

  it('refuses an unsigned commit and one signed by an unknown key, sending nothing to the cluster', async function () {
    const since = new Date();
    await repo.commit({ 'roster.yaml': repoYaml(spec) }, { message: 'unsigned grant' });
    const unsigned = await apply();
    assert.equal(unsigned.code, 2);
    assert.match(
      unsigned.err,
      /refusing the commit: commit [0-9a-f]{12}: no signature \(signature verification is on\)/,
    );
    await repo.commit(
      { 'roster.yaml': `${repoYaml(spec)}# signed by a stranger\n` },
      { message: 'stranger grant', onSign: stranger.onSign },
    );
    const unknown = await apply();
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /signed by SSH key SHA256:\S+, which is not an allowed signer/);
    assert.equal(await get('east', bindingPath(namespace, binding)), undefined);
    assert.deepEqual(await rosterRequests('east', since), [], 'no request from Roster reached the cluster');
  });

  it('applies a commit signed by an allowed key', async function () {
    await repo.commit(
      { 'roster.yaml': `${repoYaml(spec)}# signed by ada\n` },
      { message: 'signed grant', onSign: trusted.onSign },
    );
    const result = await apply();
    assert.equal(result.code, 0, result.err);
    await controlPlane().waitForAccess({
      cluster: 'east',
      user: 'alice@example.com',
      verb: 'list',
      resource: 'pods',
      namespace,
      expected: true,
      timeoutMs: 20_000,
    });
  });
});

/**
 * Revert works by construction: a grant committed to Git and applied gives alice access on the real cluster; a
 * `git revert` of that commit, applied, takes it away; `roster audit` tells who did each. The repository is a real
 * Git repository written with isomorphic-git; Roster reads the commits' trees, never the working tree.
 */
import assert from 'node:assert/strict';
import { run } from '../../src/cli/main.js';
import { TestRepo, type Author } from '../support/git/repo.js';
import { controlPlane } from './fixtures.js';
import {
  bindingPath,
  cleanUp,
  createNamespace,
  get,
  podReader,
  repoYaml,
  unique,
  type RepoSpec,
} from './reconcile-support.js';

const GRANTER: Author = { name: 'Grace Granter', email: 'grace@example.com' };
const REVERTER: Author = { name: 'Rex Reverter', email: 'rex@example.com' };
const SETUP: Author = { name: 'Setup Bot', email: 'setup@example.com' };

describe('revert: a reverted grant is gone from the cluster, and audit names both authors', function () {
  const instance = unique('it-revert');
  const namespace = unique('payments');
  const other = unique('payments-base');
  const role = unique('pod-reader');
  const binding = `roster:team:payments:${role}`;
  const spec = (grantAlice: boolean): RepoSpec => ({
    instance,
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: [
      // The base grant keeps the desired state non-empty after the revert (an empty one is refused by design).
      { name: 'base', users: ['bob@example.com'], grants: [{ role, namespaces: [other] }] },
      { name: 'payments', users: ['alice@example.com'], grants: grantAlice ? [{ role, namespaces: [namespace] }] : [] },
    ],
  });
  let repo: TestRepo;
  let grant: string;
  let revert: string;

  before(async function () {
    await createNamespace('east', namespace);
    await createNamespace('east', other);
    repo = await TestRepo.create('roster-it-revert-');
    await repo.commit(
      { 'config/roster.yaml': repoYaml(spec(false)) },
      { message: 'Set up payments team', author: SETUP },
    );
  });

  after(async function () {
    await repo?.remove();
    await cleanUp(instance, [namespace, other]);
  });

  async function roster(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), color: false });
    return { code, out, err };
  }
  const apply = () =>
    roster('apply', '--repo', `${repo.dir}/config`, '--kubeconfig', controlPlane().kubeconfigPath, '-o', 'json');
  const alice = (expected: boolean) =>
    controlPlane().waitForAccess({
      cluster: 'east',
      user: 'alice@example.com',
      verb: 'list',
      resource: 'pods',
      namespace,
      expected,
      timeoutMs: 20_000,
    });

  it('applies a committed grant: alice may list pods, and the binding names the commit', async function () {
    grant = await repo.commit(
      { 'config/roster.yaml': repoYaml(spec(true)) },
      { message: 'Grant alice pod-reader in payments', author: GRANTER },
    );
    const result = await apply();
    assert.equal(result.code, 0, result.err + result.out);
    await alice(true);
    const live = await get('east', bindingPath(namespace, binding));
    assert.equal(live?.metadata.annotations?.['roster.dev/commit'], grant);
  });

  it('ignores an uncommitted edit', async function () {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${repo.dir}/config/roster.yaml`, repoYaml(spec(false)));
    const result = await apply();
    assert.equal(result.code, 0, result.err + result.out);
    await alice(true);
  });

  it('applies the revert commit: alice is denied again and the binding is pruned', async function () {
    revert = await repo.revert(grant, { author: REVERTER });
    const result = await apply();
    assert.equal(result.code, 0, result.err + result.out);
    await alice(false);
    assert.equal(await get('east', bindingPath(namespace, binding)), undefined, 'the binding is gone');
  });

  it('shows both commits with their authors in roster audit', async function () {
    const { code, out } = await roster('audit', '--repo', `${repo.dir}/config`, '--subject', 'alice@example.com');
    assert.equal(code, 0);
    const lines = out.split('\n');
    const granted = lines.findIndex(
      (l) => l.includes(grant.slice(0, 12)) && l.includes('Grace Granter <grace@example.com>'),
    );
    const reverted = lines.findIndex(
      (l) =>
        l.includes(revert.slice(0, 12)) &&
        l.includes('Rex Reverter <rex@example.com>') &&
        l.includes('Revert "Grant alice'),
    );
    assert.ok(granted >= 0 && reverted > granted, out);
    assert.match(
      lines[granted + 1] ?? '',
      new RegExp(`\\+ alice@example\\.com gains ${role} in ${namespace} on east \\(via team payments\\)`),
    );
    assert.match(
      lines[reverted + 1] ?? '',
      new RegExp(`- alice@example\\.com loses ${role} in ${namespace} on east \\(via team payments\\)`),
    );
  });

  it('answers who had access to the namespace between the two commits', async function () {
    const between = new Date(Date.parse('2025-01-01T00:00:00Z') + 150_000).toISOString();
    const { out } = await roster(
      'audit',
      '--repo',
      `${repo.dir}/config`,
      '--at',
      between,
      '--namespace',
      namespace,
      '--cluster',
      'east',
    );
    assert.match(out, new RegExp(`east  alice@example\\.com  ${role}  in ${namespace}  \\(via team payments\\)`));
  });
});

/**
 * `roster access --live` reads every binding on a real cluster, Roster's and hand-made ones, and finds what reaches
 * a user through a group; `--desired` answers the same question from Git alone.
 */
import assert from 'node:assert/strict';
import { accessRepoYaml, type AccessRepoSpec } from './access-support.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, createNamespace, podReader, RBAC, roster, TempRepo, unique } from './reconcile-support.js';
import type { ClusterAccess } from '../../src/access/tree.js';

describe('roster access', function () {
  const namespace = unique('access');
  const role = unique('access-pod-reader');
  const spec: AccessRepoSpec = {
    instance: unique('it-access-view'),
    tokenNamespace: unique('access-tokens'),
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: [{ name: 'payments', groups: ['payments-eng'], grants: [{ role, namespaces: [namespace] }] }],
  };
  const managed = `roster:team:payments:${role}`;
  let repo: TempRepo;

  before(async function () {
    await createNamespace('east', namespace);
    const handMade = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'alice-debug', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `roster:${role}` },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' }],
    };
    const res = await controlPlane().request('east', 'POST', `${RBAC}/namespaces/${namespace}/rolebindings`, handMade);
    assert.equal(res.status, 201);
    repo = new TempRepo(accessRepoYaml(spec));
    const applied = await roster(repo, 'apply');
    assert.equal(applied.code, 0, `roster apply failed:\n${applied.out}\n${applied.err}`);
  });

  after(async function () {
    repo.remove();
    await cleanUp(spec.instance, [namespace]);
  });

  it('lists managed and hand-made bindings that reach a user directly and through a group (--live)', async function () {
    const res = await roster(
      repo,
      'access',
      '--user',
      'alice@example.com',
      '--group',
      'payments-eng',
      '--live',
      '-o',
      'json',
    );
    assert.equal(res.code, 0, res.err);
    const view = JSON.parse(res.out) as { clusters: ClusterAccess[] };
    const scope = view.clusters[0]?.scopes.find((s) => s.namespace === namespace);
    const bindings = scope?.roles.flatMap((r) => r.bindings) ?? [];
    const byName = Object.fromEntries(bindings.map((b) => [b.name, b]));
    assert.equal(byName[managed]?.managed, true);
    assert.deepEqual(
      byName[managed]?.subjects.map((s) => `${s.kind}/${s.name}`),
      ['Group/payments-eng'],
    );
    assert.equal(byName['alice-debug']?.managed, false);
    assert.deepEqual(
      byName['alice-debug']?.subjects.map((s) => `${s.kind}/${s.name}`),
      ['User/alice@example.com'],
    );
  });

  it("--live: a namespace's bindings, hand-made ones marked, without Kubernetes' system bindings", async function () {
    const res = await roster(repo, 'access', '--namespace', namespace, '--live', '--no-rules');
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, new RegExp(`\\[RoleBinding\\] {2}${namespace}/alice-debug {2}\\(unmanaged\\)`));
    assert.match(res.out, new RegExp(`\\[RoleBinding\\] {2}${namespace}/${managed} {2}\\(team payments\\)`));
    assert.doesNotMatch(res.out, /system:/);
  });

  it("answers from Git alone by default, where only Roster's binding exists", async function () {
    const res = await roster(repo, 'access', '--user', 'alice@example.com', '--group', 'payments-eng', '--no-rules');
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, new RegExp(managed));
    assert.doesNotMatch(res.out, /alice-debug/);
  });
});

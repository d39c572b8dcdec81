/**
 * Drift and idempotence on a real API server: hand edits are found with a diff and undone by apply; an apply
 * right after an apply writes nothing (audit log and request counter agree); a server dry run stores nothing.
 */
import assert from 'node:assert/strict';
import { controlPlane } from './fixtures.js';
import {
  actionsOf,
  bindingPath,
  cleanUp,
  createNamespace,
  get,
  getExisting,
  podReader,
  RBAC,
  roster,
  rosterJson,
  rosterRequests,
  TempRepo,
  unique,
  WRITE_VERBS,
  type RepoSpec,
} from './reconcile-support.js';

describe('reconcile: drift, idempotence and dry runs', function () {
  const instance = unique('it-drift');
  const namespace = unique('checkout');
  const role = unique('pod-reader');
  const binding = `roster:team:checkout:${role}`;
  const spec: RepoSpec = {
    instance,
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: [
      { name: 'checkout', users: ['bob@example.com'], groups: ['ops'], grants: [{ role, namespaces: [namespace] }] },
    ],
  };
  let repo: TempRepo;

  before(async function () {
    await createNamespace('east', namespace);
    repo = new TempRepo(spec);
    const first = await roster(repo, 'apply');
    assert.equal(first.code, 0, first.out + first.err);
  });

  after(async function () {
    repo.remove();
    await cleanUp(instance, [namespace]);
  });

  it('makes zero writes when apply runs right after apply: one LIST per kind, no PATCH', async function () {
    const since = new Date();
    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0);
    assert.deepEqual(Object.values(actionsOf(json, 'east')), ['unchanged', 'unchanged']);
    const requests = json.clusters[0]?.requests;
    assert.deepEqual(requests, { list: 7 }, 'namespaces once, then one LIST for each of the six kinds');
    assert.deepEqual(await rosterRequests('east', since, WRITE_VERBS), [], 'the audit log shows no write from Roster');
    assert.equal((await rosterRequests('east', since)).length, 7, 'the audit log agrees with the request counter');
  });

  it('shows a hand-edited managed binding as drift with a diff, and exits 1', async function () {
    const edit = { subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory@example.com' }] };
    const res = await controlPlane().request('east', 'PATCH', bindingPath(namespace, binding), edit);
    assert.equal(res.status, 200, JSON.stringify(res.body));

    const drift = await roster(repo, 'drift');
    assert.equal(drift.code, 1, drift.out + drift.err);
    assert.match(drift.out, new RegExp(`! drifted +RoleBinding/${namespace}/${binding.replace(/[:]/g, '\\:')}`));
    assert.match(drift.out, /^- {4}name: mallory@example.com$/m);
    assert.match(drift.out, /^\+ {4}name: bob@example.com$/m);
  });

  it('restores the binding with apply, after which drift exits 0', async function () {
    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0);
    assert.equal(actionsOf(json, 'east')[`RoleBinding/${namespace}/${binding}`], 'updated');
    const live = await get('east', bindingPath(namespace, binding));
    assert.deepEqual((live?.subjects ?? []).map((s) => s.name).sort(), ['bob@example.com', 'ops']);
    const drift = await roster(repo, 'drift');
    assert.equal(drift.code, 0, drift.out);
  });

  it('finds a managed binding deleted by hand as drift, and apply brings it back', async function () {
    await controlPlane().request('east', 'DELETE', bindingPath(namespace, binding));
    const drift = await rosterJson(repo, 'drift');
    assert.equal(drift.code, 1);
    assert.equal(actionsOf(drift.json, 'east')[`RoleBinding/${namespace}/${binding}`], 'drifted');
    assert.equal((await rosterJson(repo, 'apply')).code, 0);
    assert.ok(await get('east', bindingPath(namespace, binding)));
  });

  it('replaces a binding whose immutable roleRef differs, bridge first, leaving no bridge behind', async function () {
    const cp = controlPlane();
    const live = await getExisting('east', bindingPath(namespace, binding));
    await cp.request('east', 'DELETE', bindingPath(namespace, binding));
    const recreated = {
      ...live,
      metadata: { name: binding, namespace, labels: live.metadata.labels, annotations: live.metadata.annotations },
    };
    recreated.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' };
    assert.equal(
      (await cp.request('east', 'POST', `${RBAC}/namespaces/${namespace}/rolebindings`, recreated)).status,
      201,
    );

    const drift = await roster(repo, 'drift');
    assert.equal(drift.code, 1);
    assert.match(drift.out, /^- {2}name: view$/m);
    const since = new Date();
    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, JSON.stringify(json.clusters));
    const change = json.clusters[0]?.changes.find(
      (c: { ref: string }) => c.ref === `RoleBinding/${namespace}/${binding}`,
    );
    assert.equal(change?.action, 'updated');
    assert.match(change?.reason ?? '', /roleRef changed/);
    assert.equal((await get('east', bindingPath(namespace, binding)))?.roleRef?.name, `roster:${role}`);
    assert.equal(await get('east', bindingPath(namespace, `${binding}:replacing`)), undefined, 'the bridge is gone');
    const writes = (await rosterRequests('east', since, WRITE_VERBS)).map((e) => `${e.verb} ${e.objectRef?.name}`);
    assert.deepEqual(writes, [
      `create ${binding}:replacing`,
      `delete ${binding}`,
      `create ${binding}`,
      `delete ${binding}:replacing`,
    ]);
    await cp.waitForAccess({ cluster: 'east', user: 'bob', verb: 'list', resource: 'pods', namespace, expected: true });
  });

  it('stores nothing with --dry-run=server, yet reports the creates, updates, prunes it would do', async function () {
    const before = await get('east', bindingPath(namespace, binding));
    const roleBefore = await get('east', `/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:${role}`);
    const other = unique('other');
    await createNamespace('east', other);
    try {
      const widerRole = {
        ...podReader(role),
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
      };
      repo.write({
        ...spec,
        roles: [widerRole],
        teams: [{ ...spec.teams[0]!, grants: [{ role, namespaces: [other] }] }],
      });
      const { code, json } = await rosterJson(repo, 'apply', '--dry-run=server');
      assert.equal(code, 0, JSON.stringify(json.clusters));
      assert.equal(json.dryRun, true);
      const actions = actionsOf(json, 'east');
      assert.equal(actions[`ClusterRole/roster:${role}`], 'updated');
      assert.equal(actions[`RoleBinding/${namespace}/${binding}`], 'pruned');
      assert.equal(actions[`RoleBinding/${other}/${binding}`], 'created');
      const after = await get('east', bindingPath(namespace, binding));
      assert.equal(
        after?.metadata.resourceVersion,
        before?.metadata.resourceVersion,
        'the binding was neither deleted nor changed',
      );
      const roleAfter = await get('east', `/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:${role}`);
      assert.equal(
        roleAfter?.metadata.resourceVersion,
        roleBefore?.metadata.resourceVersion,
        'the role was not changed',
      );
      assert.equal(await get('east', bindingPath(other, binding)), undefined, 'nothing was created');
    } finally {
      repo.write(spec);
      await controlPlane().request('east', 'DELETE', `/api/v1/namespaces/${other}`);
    }
  });
});

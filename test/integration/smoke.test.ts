/**
 * Smoke test of the real control plane: RBAC decides, per cluster, and the harness can see it decide.
 * Access is checked twice each time: by SubjectAccessReview, and by a real request made with alice's token.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { controlPlane } from './fixtures.js';

const suffix = randomBytes(3).toString('hex');
const namespace = `smoke-${suffix}`;
const clusterRole = `roster-smoke-pod-reader-${suffix}`;
const binding = 'alice-reads-pods';

const podsPath = `/api/v1/namespaces/${namespace}/pods`;
const bindingsPath = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`;

/** alice's access to list pods in the test namespace, as the authorizer says and as a real request finds. */
async function assertAliceCanListPods(cluster: string, expected: boolean): Promise<void> {
  const cp = controlPlane();
  await cp.waitForAccess({
    cluster,
    user: 'alice',
    verb: 'list',
    resource: 'pods',
    namespace,
    expected,
    timeoutMs: 20_000,
  });
  const res = await cp.request(cluster, 'GET', podsPath, undefined, { as: 'alice' });
  assert.equal(
    res.status,
    expected ? 200 : 403,
    `cluster ${cluster}: alice listing pods in ${namespace} answered ${res.status}`,
  );
}

async function create(cluster: string, path: string, body: unknown): Promise<void> {
  const res = await controlPlane().request(cluster, 'POST', path, body);
  assert.equal(res.status, 201, `cluster ${cluster}: POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

describe('control plane smoke', function () {
  let east: string;
  let west: string;

  before(async function () {
    const cp = controlPlane();
    [east, west] = cp.clusters.map((c) => c.name) as [string, string];
    for (const cluster of [east, west]) {
      await create(cluster, '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
      await create(cluster, '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: clusterRole },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
      });
    }
  });

  after(async function () {
    const cp = controlPlane();
    for (const cluster of [east, west]) {
      await cp.request(cluster, 'DELETE', `/api/v1/namespaces/${namespace}`);
      await cp.request(cluster, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${clusterRole}`);
    }
  });

  it('denies alice listing pods in a fresh namespace on both clusters', async function () {
    await assertAliceCanListPods(east, false);
    await assertAliceCanListPods(west, false);
  });

  it('allows alice on east only once a RoleBinding exists there', async function () {
    await create(east, bindingsPath, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: binding, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice@example.com' }],
    });
    await assertAliceCanListPods(east, true);
    await assertAliceCanListPods(west, false);
  });

  it('denies alice again after the RoleBinding is deleted', async function () {
    const res = await controlPlane().request(east, 'DELETE', `${bindingsPath}/${binding}`);
    assert.equal(res.status, 200, `DELETE RoleBinding/${namespace}/${binding} answered ${res.status}`);
    await assertAliceCanListPods(east, false);
    await assertAliceCanListPods(west, false);
  });
});

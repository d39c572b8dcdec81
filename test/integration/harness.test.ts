/**
 * The harness's own promises to other tests: kubectl as any identity, an audit log that counts writes, the
 * kubeconfig's permissions, and restarting one apiserver without touching the other cluster.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { ExternalClusterUnsupportedError } from '../harness/index.js';
import { controlPlane } from './fixtures.js';

const external = Boolean(process.env.ROSTER_TEST_KUBECONFIG);

describe('control plane harness', function () {
  const namespace = `harness-${randomBytes(3).toString('hex')}`;
  let first: string;
  let second: string;

  before(async function () {
    [first, second] = controlPlane().clusters.map((c) => c.name) as [string, string];
    const res = await controlPlane().request(first, 'POST', '/api/v1/namespaces', { metadata: { name: namespace } });
    assert.equal(res.status, 201);
  });

  after(async function () {
    await controlPlane().request(first, 'DELETE', `/api/v1/namespaces/${namespace}`);
  });

  it('runs kubectl as a test user, with that user’s groups', async function () {
    const jsonpath = '{.status.userInfo.username} {.status.userInfo.groups}';
    const res = await controlPlane().kubectl(second, ['auth', 'whoami', '-o', `jsonpath=${jsonpath}`], { as: 'alice' });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^alice@example\.com .*"payments-eng"/);
  });

  it('pipes input to kubectl', async function () {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-stdin', namespace },
    });
    const res = await controlPlane().kubectl(first, ['apply', '-f', '-'], { input: manifest });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /configmap\/from-stdin created/);
  });

  it('counts writes in the audit log, by verb, user and resource', async function () {
    if (external) return assert.rejects(controlPlane().auditEvents(first), ExternalClusterUnsupportedError);
    const cp = controlPlane();
    const since = new Date();
    for (const name of ['one', 'two']) {
      const res = await cp.request(first, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name } });
      assert.equal(res.status, 201);
    }
    const writes = await cp.auditEvents(first, {
      since,
      verbs: ['create', 'update', 'patch', 'delete'],
      user: 'admin',
      namespace,
    });
    assert.deepEqual(
      writes.map((e) => `${e.verb} ${e.objectRef?.resource} ${e.responseStatus?.code}`),
      ['create configmaps 201', 'create configmaps 201'],
    );
    assert.deepEqual(await cp.auditEvents(second, { since, verbs: ['create'], namespace }), []);
  });

  it('writes the kubeconfig with mode 0600', function () {
    if (external) return;
    assert.equal(statSync(controlPlane().kubeconfigPath).mode & 0o777, 0o600);
  });

  it('stops and restarts one apiserver on the same address while the other keeps serving', async function () {
    const cp = controlPlane();
    const cluster = cp.cluster(first);
    if (external) return assert.rejects(cluster.stopApiserver(), ExternalClusterUnsupportedError);
    await cluster.stopApiserver();
    await assert.rejects(cp.request(first, 'GET', '/version'), /ECONNREFUSED/);
    assert.equal((await cp.request(second, 'GET', '/version')).status, 200);
    await cluster.startApiserver();
    const res = await cp.kubectl(first, ['get', 'namespace', namespace, '-o', 'name']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), `namespace/${namespace}`);
  });
});

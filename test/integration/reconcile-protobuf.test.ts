/**
 * Roster reads LISTs in protobuf with its own small decoder. Against the real API server, every field Roster reads
 * must come out exactly as the JSON encoding of the same objects says.
 */
import assert from 'node:assert/strict';
import { connect } from '../../src/cluster/index.js';
import { collectionPath } from '../../src/cluster/paths.js';
import type { LiveObject } from '../../src/cluster/types.js';
import { normalizeRoleRef, comparableRule, normalizeSubject } from '../../src/reconcile/normalize.js';
import { KIND_ORDER } from '../../src/resources/key.js';
import { controlPlane } from './fixtures.js';
import { RBAC, unique } from './reconcile-support.js';

const canonical = (o: LiveObject) =>
  JSON.stringify({
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    uid: o.metadata.uid,
    resourceVersion: o.metadata.resourceVersion,
    labels: Object.entries(o.metadata.labels ?? {}).sort(),
    annotations: Object.entries(o.metadata.annotations ?? {}).sort(),
    subjects: (o.subjects ?? []).map(normalizeSubject),
    roleRef: o.roleRef ? normalizeRoleRef(o.roleRef) : null,
    rules: (o.rules ?? []).map(comparableRule),
    aggregated: o.aggregationRule !== undefined && o.aggregationRule !== null,
  });

describe('reconcile: LISTs read in protobuf', function () {
  const label = unique('proto');
  const namespace = unique('proto-ns');
  const labels = { 'roster.dev/instance': label, 'app.kubernetes.io/managed-by': 'roster' };

  before(async function () {
    const cp = controlPlane();
    const post = async (path: string, body: unknown) =>
      assert.equal((await cp.request('east', 'POST', path, body)).status, 201, path);
    const metadata = (name: string, ns?: string) => ({
      name,
      ...(ns ? { namespace: ns } : {}),
      labels,
      annotations: { 'roster.dev/source': 'tëams/ünïcode.yaml' },
    });
    await post('/api/v1/namespaces', { metadata: metadata(namespace) });
    await post(`/api/v1/namespaces/${namespace}/serviceaccounts`, { metadata: metadata('ci', namespace) });
    await post(`${RBAC}/clusterroles`, {
      metadata: metadata(`${label}-agg`),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'x' } }] },
    });
    await post(`${RBAC}/clusterroles`, {
      metadata: metadata(`${label}-plain`),
      rules: [
        { apiGroups: ['', 'apps'], resources: ['pods', 'deployments/scale'], verbs: ['get'] },
        { nonResourceURLs: ['/healthz'], verbs: ['get'] },
      ],
    });
    await post(`${RBAC}/namespaces/${namespace}/roles`, {
      metadata: metadata('r', namespace),
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] }],
    });
    const subjects = [
      { kind: 'User', name: 'alice@example.com' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'ops' },
      { kind: 'ServiceAccount', name: 'ci', namespace },
    ];
    await post(`${RBAC}/namespaces/${namespace}/rolebindings`, {
      metadata: metadata('rb', namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
      subjects,
    });
    await post(`${RBAC}/clusterrolebindings`, {
      metadata: metadata(`${label}-crb`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${label}-plain` },
    });
  });

  after(async function () {
    const cp = controlPlane();
    const selector = encodeURIComponent(`roster.dev/instance=${label}`);
    await cp.request('east', 'DELETE', `${RBAC}/clusterroles?labelSelector=${selector}`);
    await cp.request('east', 'DELETE', `${RBAC}/clusterrolebindings?labelSelector=${selector}`);
    await cp.request('east', 'DELETE', `/api/v1/namespaces/${namespace}`);
  });

  it('gives every kind exactly what the JSON encoding gives', async function () {
    const client = await connect({ cluster: 'east', context: 'east', kubeconfig: controlPlane().kubeconfigPath });
    try {
      const selector = `roster.dev/instance=${label}`;
      for (const kind of KIND_ORDER) {
        const viaProtobuf = (await client.list(kind, selector)).map(canonical).sort();
        const json = await controlPlane().request(
          'east',
          'GET',
          `${collectionPath(kind)}?labelSelector=${encodeURIComponent(selector)}`,
        );
        const viaJson = (json.body as { items: LiveObject[] }).items.map((o) => canonical({ ...o, kind })).sort();
        assert.ok(viaJson.length > 0, `${kind}: test objects exist`);
        assert.deepEqual(viaProtobuf, viaJson, kind);
      }
    } finally {
      client.close();
    }
  });

  it('reads the answers to a create and an apply (protobuf) as the object the API server stored', async function () {
    const client = await connect({ cluster: 'east', context: 'east', kubeconfig: controlPlane().kubeconfigPath });
    try {
      const obj = {
        apiVersion: 'rbac.authorization.k8s.io/v1' as const,
        kind: 'RoleBinding' as const,
        metadata: { name: 'written', namespace, labels, annotations: { 'roster.dev/source': 'tëams/w.yaml' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io' as const, kind: 'Role' as const, name: 'r' },
        subjects: [{ kind: 'User' as const, name: 'alice@example.com' }],
      };
      const stored = async () => {
        const res = await controlPlane().request('east', 'GET', `${RBAC}/namespaces/${namespace}/rolebindings/written`);
        return canonical({ ...(res.body as LiveObject), kind: 'RoleBinding' });
      };
      const created = await client.create(obj, { dryRun: false });
      assert.equal(canonical(created), await stored());
      const applied = await client.apply(
        { ...obj, subjects: [{ kind: 'Group', name: 'ops' }] },
        { dryRun: false, force: true, expect: { resourceVersion: created.metadata.resourceVersion } },
      );
      assert.equal(canonical(applied), await stored());
      assert.notEqual(applied.metadata.resourceVersion, created.metadata.resourceVersion);
    } finally {
      client.close();
    }
  });
});

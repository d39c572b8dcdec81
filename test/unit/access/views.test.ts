import assert from 'node:assert/strict';
import { desiredSnapshot } from '../../../src/access/desired.js';
import { describeUser, userInfoFor, type Identity } from '../../../src/access/identity.js';
import { liveBinding } from '../../../src/access/live.js';
import { renderAccessView, type AccessView } from '../../../src/access/render.js';
import { clusterAccess, type AccessFilter } from '../../../src/access/tree.js';
import type { RbacSnapshot } from '../../../src/access/types.js';
import type { LiveObject } from '../../../src/cluster/index.js';
import { compile } from '../../../src/compile/index.js';
import type { Model } from '../../../src/model/types.js';
import { assertGolden } from '../../support/golden.js';
import { NOW, acmeModel, offlineFacts } from '../../support/models.js';

function desired(model: Model): RbacSnapshot[] {
  const result = compile(model, offlineFacts(model), NOW);
  return result.clusters.map((state) => desiredSnapshot(state, result.roleRules));
}

function subjectView(model: Model, identity: Identity, rules = true): AccessView {
  const clusters = desired(model).map((s) => {
    const cluster = model.clusters.find((c) => c.name === s.cluster)!;
    return clusterAccess(s, { user: userInfoFor(identity, cluster, model.settings.tokenNamespace) });
  });
  const header = describeUser(
    userInfoFor(identity, { userPrefix: '', groupPrefix: '' }, model.settings.tokenNamespace),
  );
  return { header, view: 'subject', source: 'desired', clusters, rules };
}

function namespaceView(snapshots: RbacSnapshot[], filter: AccessFilter & { namespace: string }): AccessView {
  return {
    header: `Namespace=${filter.namespace}`,
    view: 'namespace',
    source: 'desired',
    clusters: snapshots.map((s) => clusterAccess(s, filter)),
  };
}

describe('access views: who has what (desired, offline)', () => {
  it("shows a user's access per cluster, through the user and their groups, with the cluster prefixes", () => {
    const view = subjectView(acmeModel(), { user: 'alice@example.com', groups: ['payments-eng'] });
    assertGolden('access/alice-desired.txt', renderAccessView(view));
  });

  it("shows a token's access through its ServiceAccount, without rules when asked", () => {
    const view = subjectView(acmeModel(), { token: 'ci-deployer', groups: [] }, false);
    assertGolden('access/token-ci-deployer.txt', renderAccessView(view));
  });

  it("shows everyone's access in a namespace, counting patterns that match it", () => {
    const view = namespaceView(desired(acmeModel()), { namespace: 'payments-api' });
    assertGolden('access/namespace-payments-api.txt', renderAccessView({ ...view, rules: false }));
  });

  it('says so when a subject has no access on a cluster', () => {
    const view = subjectView(acmeModel(), { user: 'nobody@example.com', groups: [] });
    assert.match(renderAccessView(view), /\[Cluster\] {2}prod-eu\n│ {3}└── \(no access\)/);
  });

  it('keeps the JSON shape stable', () => {
    const view = subjectView(acmeModel(), { user: 'carol@example.com', groups: [] });
    assertGolden('access/carol-desired.json', `${JSON.stringify(view.clusters, null, 2)}\n`);
  });
});

const live = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, extra: Partial<LiveObject>): LiveObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  ...extra,
  metadata: {
    name,
    uid: 'u',
    resourceVersion: '1',
    ...(kind === 'RoleBinding' ? { namespace: 'payments' } : {}),
    ...extra.metadata,
  },
});

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function liveSnapshot(): RbacSnapshot {
  const labels = {
    'app.kubernetes.io/managed-by': 'roster',
    'roster.dev/instance': 'acme',
    'roster.dev/team': 'payments',
  };
  const bindings = [
    live('RoleBinding', 'roster:team:payments:viewer', {
      metadata: { name: 'roster:team:payments:viewer', namespace: 'payments', labels, uid: 'a', resourceVersion: '1' },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'roster:viewer' },
      subjects: [{ kind: 'Group', name: 'payments-eng' }],
    }),
    live('RoleBinding', 'hand-made', {
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: 'debugger' },
      subjects: [{ kind: 'User', name: 'alice@example.com' }],
    }),
    live('ClusterRoleBinding', 'cluster-admin', {
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'system:masters' }],
    }),
  ].map((b) => liveBinding(b, 'acme'));
  return {
    cluster: 'east',
    roles: [
      {
        kind: 'ClusterRole',
        name: 'roster:viewer',
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
      },
      { kind: 'ClusterRole', name: 'cluster-admin', rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
    ],
    bindings,
  };
}

describe('access views: who has what (live)', () => {
  it('marks unmanaged bindings and missing roles, and reaches a user through a group', () => {
    const view: AccessView = {
      header: 'User=alice@example.com Groups=payments-eng',
      view: 'subject',
      source: 'live',
      clusters: [clusterAccess(liveSnapshot(), { user: { user: 'alice@example.com', groups: ['payments-eng'] } })],
    };
    assertGolden('access/live-alice.txt', renderAccessView(view));
  });

  it("hides Kubernetes' own system bindings in a namespace view unless asked", () => {
    const hidden = renderAccessView(namespaceView([liveSnapshot()], { namespace: 'payments' }));
    const shown = renderAccessView(namespaceView([liveSnapshot()], { namespace: 'payments', includeSystem: true }));
    assert.doesNotMatch(hidden, /cluster-admin/);
    assert.match(shown, /\[ClusterRoleBinding\] {2}cluster-admin {2}\(unmanaged\)/);
    assertGolden('access/live-namespace-payments.txt', shown);
  });

  it('reads team and ownership from the labels of managed bindings only', () => {
    const [managed, unmanaged] = liveSnapshot().bindings;
    assert.deepEqual([managed?.managed, managed?.holder], [true, { kind: 'team', name: 'payments' }]);
    assert.deepEqual([unmanaged?.managed, unmanaged?.holder], [false, undefined]);
  });
});

import assert from 'node:assert/strict';
import { liveBinding } from '../../../src/access/live.js';
import { renderAccessView } from '../../../src/access/render.js';
import { clusterAccess } from '../../../src/access/tree.js';
import type { LiveObject } from '../../../src/cluster/types.js';

function live(labels: Record<string, string>): LiveObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'roster:team:payments:editor', namespace: 'payments', uid: 'u', resourceVersion: '1', labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'roster:editor' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'pat@example.com' }],
  };
}

const owned = {
  'app.kubernetes.io/managed-by': 'roster',
  'roster.dev/instance': 'acme',
  'roster.dev/team': 'payments',
  'roster.dev/delegation': 'payments',
};

describe('access: live views name the delegation a binding came from', () => {
  it("reads it from Roster's own bindings only", () => {
    assert.equal(liveBinding(live(owned), 'acme').delegation, 'payments');
    assert.equal(liveBinding(live(owned), 'other-instance').delegation, undefined);
  });

  it('shows it in the access tree next to the team', () => {
    const snapshot = { cluster: 'prod-eu', roles: [], bindings: [liveBinding(live(owned), 'acme')] };
    const text = renderAccessView({
      header: 'Namespace=payments',
      view: 'namespace',
      source: 'live',
      clusters: [clusterAccess(snapshot, { namespace: 'payments' })],
    });
    assert.match(
      text,
      /\[RoleBinding\] {2}payments\/roster:team:payments:editor {2}\(team payments, delegation payments\)/,
    );
  });
});

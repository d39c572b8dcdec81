import assert from 'node:assert/strict';
import { normalizePair, ownedEqual, sameOwnedFields } from '../../../src/reconcile/normalize.js';
import { COMMIT_ANNOTATION, PRUNE_ANNOTATION } from '../../../src/resources/labels.js';
import { asLive, binding, clusterRole } from './objects.js';

/** Compares both ways Roster compares, and insists they agree: the canonical forms (diffs) and the fast path
 * (pairing). */
function same(desired: Parameters<typeof ownedEqual>[0], live: Parameters<typeof ownedEqual>[1]): boolean {
  const n = normalizePair(desired, live);
  const canonical = sameOwnedFields(n.desired!, n.live!);
  assert.equal(ownedEqual(desired, live), canonical, 'ownedEqual and the normalized forms disagree');
  return canonical;
}

describe('normalize: comparing only the fields Roster owns', () => {
  it('ignores server-set metadata (uid, resourceVersion, managedFields, timestamps)', () => {
    const desired = binding('b', 'ns', ['alice']);
    assert.ok(same(desired, asLive(desired)));
  });

  it('treats a subject without apiGroup like one with the defaulted RBAC group', () => {
    const desired = binding('b', 'ns', ['alice']);
    const live = asLive(desired);
    delete live.subjects![0]!.apiGroup;
    assert.ok(same(desired, live));
  });

  it('treats a missing roleRef apiGroup as the RBAC group', () => {
    const desired = binding('b', 'ns', ['alice']);
    const live = asLive(desired);
    (live.roleRef as { apiGroup?: string }).apiGroup = '';
    assert.ok(same(desired, live));
  });

  it('treats empty, null and missing subject lists alike', () => {
    const desired = binding('b', 'ns', []);
    assert.ok(same(desired, asLive(desired, { subjects: null })));
    const live = asLive(desired);
    delete live.subjects;
    assert.ok(same(desired, live));
  });

  it('treats empty and missing rule fields alike', () => {
    const desired = clusterRole('r', ['get']);
    const live = asLive(desired);
    live.rules = [{ apiGroups: [''], resources: ['pods'], resourceNames: [], nonResourceURLs: [], verbs: ['get'] }];
    assert.ok(same(desired, live));
  });

  it('ignores the rules of an aggregated ClusterRole, which the control plane fills in', () => {
    const desired = clusterRole('agg', ['get']);
    const live = asLive(desired, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } });
    live.rules = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    assert.ok(same(desired, live));
  });

  it('ignores labels and annotations set by others, the commit annotation and the prune opt-out', () => {
    const desired = binding('b', 'ns', ['alice']);
    desired.metadata.annotations![COMMIT_ANNOTATION] = 'new-commit';
    const live = asLive(desired);
    live.metadata.labels!['team.example/owner'] = 'someone';
    live.metadata.annotations![COMMIT_ANNOTATION] = 'old-commit';
    live.metadata.annotations![PRUNE_ANNOTATION] = 'disabled';
    live.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'] = '{}';
    assert.ok(same(desired, live));
  });

  it('sees a changed subject, a changed label Roster sets and a missing source annotation', () => {
    const desired = binding('b', 'ns', ['alice']);
    assert.ok(!same(desired, asLive(binding('b', 'ns', ['mallory']))));
    const relabelled = asLive(desired);
    relabelled.metadata.labels!['roster.dev/instance'] = 'other';
    assert.ok(!same(desired, relabelled));
    const unannotated = asLive(desired);
    delete unannotated.metadata.annotations;
    assert.ok(!same(desired, unannotated));
  });

  it('sees changed rules on a plain ClusterRole', () => {
    assert.ok(!same(clusterRole('r', ['get']), asLive(clusterRole('r', ['get', 'delete']))));
  });

  it('sees subjects in another order, a changed roleRef, and a service account in another namespace', () => {
    const desired = binding('b', 'ns', ['alice', 'bob']);
    assert.ok(!same(desired, asLive(binding('b', 'ns', ['bob', 'alice']))));
    assert.ok(!same(desired, asLive(binding('b', 'ns', ['alice', 'bob'], 'roster:editor'))));
    const sa = binding('b', 'ns', []);
    sa.subjects = [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tokens' }];
    const moved = asLive(sa);
    moved.subjects = [{ kind: 'ServiceAccount', name: 'ci', namespace: 'elsewhere' }];
    assert.ok(!same(sa, moved));
    assert.ok(same(sa, asLive(sa)));
  });
});

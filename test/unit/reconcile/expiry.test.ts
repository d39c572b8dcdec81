import assert from 'node:assert/strict';
import type { SkippedGrant } from '../../../src/compile/types.js';
import { scheduledRemovals } from '../../../src/reconcile/expiry.js';
import { ROLE_LABEL, TEAM_LABEL, TOKEN_LABEL } from '../../../src/resources/labels.js';

const skip = (holder: SkippedGrant['holder'], role: string, reason: SkippedGrant['reason']): SkippedGrant => ({
  cluster: 'c',
  holder,
  role,
  reason,
  detail: '',
  source: 'teams/x.yaml:1:1',
});
const live = (
  kind: 'RoleBinding' | 'ClusterRoleBinding' | 'ServiceAccount' | 'ClusterRole',
  labels: Record<string, string>,
) => ({
  kind,
  metadata: { name: 'x', labels },
});

describe('removals an expiry scheduled', () => {
  const scheduled = scheduledRemovals([
    skip({ kind: 'team', name: 'payments' }, 'editor', 'expired'),
    skip({ kind: 'token', name: 'ci' }, 'deployer', 'expired'),
    skip({ kind: 'team', name: 'data' }, 'viewer', 'namespace-missing'),
  ]);

  it('recognises the bindings of an expired team or token grant by their labels', () => {
    assert.equal(scheduled(live('RoleBinding', { [TEAM_LABEL]: 'payments', [ROLE_LABEL]: 'editor' })), true);
    assert.equal(scheduled(live('ClusterRoleBinding', { [TOKEN_LABEL]: 'ci', [ROLE_LABEL]: 'deployer' })), true);
  });

  it("recognises an expired token's ServiceAccount", () => {
    assert.equal(scheduled(live('ServiceAccount', { [TOKEN_LABEL]: 'ci' })), true);
  });

  it('does not excuse other roles of the same team, other reasons, or roles themselves', () => {
    assert.equal(scheduled(live('RoleBinding', { [TEAM_LABEL]: 'payments', [ROLE_LABEL]: 'owner' })), false);
    assert.equal(scheduled(live('RoleBinding', { [TEAM_LABEL]: 'data', [ROLE_LABEL]: 'viewer' })), false);
    assert.equal(scheduled(live('ClusterRole', { [ROLE_LABEL]: 'editor' })), false);
    assert.equal(scheduled(live('RoleBinding', { [TOKEN_LABEL]: 'payments', [ROLE_LABEL]: 'editor' })), false);
  });
});

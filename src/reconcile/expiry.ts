/**
 * Removals that Git scheduled: a binding (or a token's ServiceAccount) that is no longer desired because a grant or
 * token reached its `expires`, or because its holder's access review is overdue under `review.onOverdue: suspend`
 * (a policy merged in Git, with a due date anyone could see coming). The mass-prune guard exists for removals nobody
 * meant, such as a wrong selector or a deleted folder; an expiry or a review deadline was reviewed and merged with its
 * date, and access that outlives it is the failure. So these removals do not count against `prune.maxPercent` or the
 * empty-desired-state guard.
 */

import type { LiveObject } from '../cluster/types.js';
import type { SkippedGrant } from '../compile/types.js';
import { boundedLabelValue } from '../resources/names.js';
import { ROLE_LABEL, TEAM_LABEL, TOKEN_LABEL } from '../resources/labels.js';

export type ScheduledRemoval = (live: {
  kind: LiveObject['kind'];
  metadata: { labels?: Record<string, string> };
}) => boolean;

export function scheduledRemovals(skipped: readonly SkippedGrant[]): ScheduledRemoval {
  const expired = skipped.filter((s) => s.reason === 'expired' || s.reason === 'review-overdue');
  const grants = new Set(expired.map((s) => grantId(s.holder.kind, s.holder.name, s.role)));
  const tokens = new Set(expired.filter((s) => s.holder.kind === 'token').map((s) => boundedLabelValue(s.holder.name)));
  return (live) => {
    const labels = live.metadata.labels ?? {};
    if (live.kind === 'ServiceAccount') return tokens.has(labels[TOKEN_LABEL] ?? '');
    if (live.kind !== 'RoleBinding' && live.kind !== 'ClusterRoleBinding') return false;
    const role = labels[ROLE_LABEL];
    if (role === undefined) return false;
    const team = labels[TEAM_LABEL];
    const token = labels[TOKEN_LABEL];
    return (
      (team !== undefined && grants.has(labelId('team', team, role))) ||
      (token !== undefined && grants.has(labelId('token', token, role)))
    );
  };
}

function grantId(kind: 'team' | 'token', holder: string, role: string): string {
  return labelId(kind, boundedLabelValue(holder), boundedLabelValue(role));
}

function labelId(kind: string, holder: string, role: string): string {
  return `${kind}\u0000${holder}\u0000${role}`;
}

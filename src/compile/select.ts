/** Which clusters a grant reaches, and whether it is inside its time window. */

import { formatTime } from '../time.js';
import type { Cluster, ClusterSelector, Grant } from '../model/types.js';
import { matchesLabels } from '../model/patterns.js';

export function selectsCluster(selector: ClusterSelector, cluster: Cluster): boolean {
  if ('all' in selector) return true;
  if ('names' in selector) return selector.names.includes(cluster.name);
  return matchesLabels(cluster.labels, selector.matchLabels);
}

export type GrantActivity =
  { active: true; expires?: Date } | { active: false; reason: 'not-yet-valid' | 'expired'; detail: string };

/**
 * A grant is active from `notBefore` (inclusive) until `expires` (exclusive). A token's own expiry caps its grants.
 * `expires` on an active window is the effective end of access, if any.
 */
export function grantWindow(grant: Grant, now: Date, capExpires?: Date): GrantActivity {
  if (grant.notBefore && now.getTime() < grant.notBefore.getTime()) {
    return { active: false, reason: 'not-yet-valid', detail: `valid from ${formatTime(grant.notBefore)}` };
  }
  const expires = earliest(grant.expires, capExpires);
  if (expires && now.getTime() >= expires.getTime()) {
    return { active: false, reason: 'expired', detail: `expired at ${formatTime(expires)}` };
  }
  return expires ? { active: true, expires } : { active: true };
}

function earliest(a?: Date, b?: Date): Date | undefined {
  if (!a || !b) return a ?? b;
  return a.getTime() <= b.getTime() ? a : b;
}

export function formatSource(ref: { file: string; line: number; col: number }): string {
  return `${ref.file}:${ref.line}:${ref.col}`;
}

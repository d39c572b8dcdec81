/**
 * The access view of a compiled cluster: who (subject) holds which role where, through which team or token.
 * `plan --offline`, `can-i` and the access tree all read these entries rather than the RBAC objects.
 */

import { formatTime } from '../time.js';
import type { Subject } from '../resources/types.js';
import type { AccessEntry } from './types.js';
import { expiryOf, type ClusterPlan } from './plan.js';
import { compareSubjects } from './subjects.js';
import { compareCodeUnits } from '../compare.js';

export function accessEntries(plan: ClusterPlan): AccessEntry[] {
  const entries: AccessEntry[] = [];
  const cluster = plan.cluster.name;
  for (const a of plan.assignments) {
    const until = expiryOf(a);
    const expires = until ? formatTime(until) : undefined;
    for (const subject of a.subjects) {
      // Built field by field (no spreads): this runs once per subject of every binding.
      const entry: AccessEntry = { cluster, holder: a.holder, subject, role: a.role.name, scope: a.role.scope };
      if (a.namespace !== undefined) entry.namespace = a.namespace;
      if (a.pattern !== undefined) entry.pattern = a.pattern;
      if (expires !== undefined) entry.expires = expires;
      if (a.delegation !== undefined) entry.delegation = a.delegation;
      entries.push(entry);
    }
  }
  return entries.sort(compareAccess);
}

/** Cluster, then namespace (cluster-wide first, patterns with the names), subject, role, holder. */
export function compareAccess(a: AccessEntry, b: AccessEntry): number {
  return (
    compareCodeUnits(a.cluster, b.cluster) ||
    compareCodeUnits(a.namespace ?? a.pattern ?? '', b.namespace ?? b.pattern ?? '') ||
    compareSubjects(a.subject, b.subject) ||
    compareCodeUnits(a.role, b.role) ||
    compareCodeUnits(a.holder.kind, b.holder.kind) ||
    compareCodeUnits(a.holder.name, b.holder.name)
  );
}

export function formatSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount'
    ? `ServiceAccount/${subject.namespace}/${subject.name}`
    : `${subject.kind}/${subject.name}`;
}

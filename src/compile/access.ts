/**
 * The access view of a compiled cluster: who (subject) holds which role where, through which team or token.
 * `plan --offline`, `can-i` and the access tree all read these entries rather than the RBAC objects.
 */

import type { Subject } from '../resources/types.js';
import type { AccessEntry, DesiredState } from './types.js';
import { expiryOf, type ClusterPlan } from './plan.js';
import { compareSubjects } from './subjects.js';
import { cmp } from './compare.js';

export function accessEntries(plan: ClusterPlan): AccessEntry[] {
  const entries: AccessEntry[] = [];
  const cluster = plan.cluster.name;
  for (const a of plan.assignments) {
    const expires = expiryOf(a)?.toISOString();
    for (const subject of a.subjects) {
      // Built field by field (no spreads): this runs once per subject of every binding.
      const entry: AccessEntry = { cluster, holder: a.holder, subject, role: a.role.name, scope: a.role.scope };
      if (a.namespace !== undefined) entry.namespace = a.namespace;
      if (a.pattern !== undefined) entry.pattern = a.pattern;
      if (expires !== undefined) entry.expires = expires;
      entries.push(entry);
    }
  }
  return entries.sort(compareAccess);
}

/** Cluster, then namespace (cluster-wide first, patterns with the names), subject, role, holder. */
export function compareAccess(a: AccessEntry, b: AccessEntry): number {
  return (
    cmp(a.cluster, b.cluster) ||
    cmp(a.namespace ?? a.pattern ?? '', b.namespace ?? b.pattern ?? '') ||
    compareSubjects(a.subject, b.subject) ||
    cmp(a.role, b.role) ||
    cmp(a.holder.kind, b.holder.kind) ||
    cmp(a.holder.name, b.holder.name)
  );
}

export function formatSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount/${subject.namespace}/${subject.name}` : `${subject.kind}/${subject.name}`;
}

/** Where an entry applies: the namespace, the unexpanded pattern, or `*` for cluster-wide. */
export function scopeLabel(entry: AccessEntry): string {
  return entry.namespace ?? entry.pattern ?? '*';
}

export interface AccessTreeNode {
  /** Namespace, pattern, or `*` for cluster-wide access. */
  scope: string;
  subjects: Array<{ subject: string; roles: Array<{ role: string; via: string; expires?: string }> }>;
}

/** cluster → namespace → subject → roles, for `plan --offline` (like `vela auth list-privileges`). */
export function accessTree(state: DesiredState): AccessTreeNode[] {
  const byScope = new Map<string, Map<string, AccessTreeNode['subjects'][number]>>();
  for (const entry of state.access) {
    const scope = scopeLabel(entry);
    const subjects = byScope.get(scope) ?? byScope.set(scope, new Map()).get(scope)!;
    const name = formatSubject(entry.subject);
    const node = subjects.get(name) ?? subjects.set(name, { subject: name, roles: [] }).get(name)!;
    const role: { role: string; via: string; expires?: string } = { role: entry.role, via: `${entry.holder.kind}/${entry.holder.name}` };
    if (entry.expires) role.expires = entry.expires;
    node.roles.push(role);
  }
  return [...byScope].map(([scope, subjects]) => ({ scope, subjects: [...subjects.values()] }));
}

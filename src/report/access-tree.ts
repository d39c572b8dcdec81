/** The access tree of a desired state: cluster → namespace → subject → role, for `plan --offline`. */
import { compareCodeUnits } from '../compare.js';
import type { AccessEntry, DesiredState } from '../compile/types.js';
import type { Subject } from '../resources/types.js';
import type { TreeNode } from './tree.js';

const CLUSTER_WIDE = '(cluster-wide)';

export function accessTree(states: readonly DesiredState[]): TreeNode[] {
  return states.map((state) => ({
    label: `[Cluster] ${state.cluster}`,
    children: groupBy(state.access, scopeLabel).map(([scope, entries]) => ({
      label: scope,
      children: groupBy(entries, (e) => subjectLabel(e.subject)).map(([subject, byRole]) => ({
        label: subject,
        children: uniqueSorted(byRole.map(roleLabel)).map((label) => ({ label })),
      })),
    })),
  }));
}

export function subjectLabel(subject: Subject): string {
  if (subject.kind === 'ServiceAccount') return `[ServiceAccount] ${subject.namespace}/${subject.name}`;
  return `[${subject.kind}] ${subject.name}`;
}

function scopeLabel(entry: AccessEntry): string {
  if (entry.scope === 'cluster') return `[Scope] ${CLUSTER_WIDE}`;
  if (entry.pattern !== undefined) return `[Namespace] ${entry.pattern} (pattern: expands against live namespaces)`;
  return `[Namespace] ${entry.namespace ?? ''}`;
}

function roleLabel(entry: AccessEntry): string {
  const until = entry.expires ? `, until ${entry.expires}` : '';
  const delegated = entry.delegation ? `, delegation ${entry.delegation}` : '';
  return `[Role] ${entry.role} (${entry.holder.kind} ${entry.holder.name}${delegated}${until})`;
}

/** Groups preserving a sorted order of keys, with cluster-wide scope first. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || compareCodeUnits(a, b));
}

function rank(label: string): number {
  return label.includes(CLUSTER_WIDE) ? 0 : 1;
}

function uniqueSorted(labels: string[]): string[] {
  return [...new Set(labels)].sort((a, b) => compareCodeUnits(a, b));
}

/**
 * One identity for every object Roster talks about, and one way to print it: `Kind/namespace/name`
 * (`Kind/name` for cluster-scoped objects). Used in maps, logs, errors and reports alike.
 */

import { compareCodeUnits } from '../compare.js';
import type { ManagedKind, ManagedObject } from './types.js';

export interface ResourceKey {
  group: string;
  kind: ManagedKind;
  namespace?: string;
  name: string;
}

/** Apply order: namespaces first, then roles, then what references them. Prune runs in reverse. */
export const KIND_ORDER: readonly ManagedKind[] = [
  'Namespace',
  'ClusterRole',
  'Role',
  'ServiceAccount',
  'ClusterRoleBinding',
  'RoleBinding',
];

export const KIND_INFO: Record<ManagedKind, { group: string; version: string; plural: string; namespaced: boolean }> = {
  Namespace: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  ServiceAccount: { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true },
  ClusterRole: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false },
  Role: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', namespaced: true },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  RoleBinding: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', namespaced: true },
};

export function keyOf(obj: Pick<ManagedObject, 'kind' | 'metadata'>): ResourceKey {
  const key: ResourceKey = { group: KIND_INFO[obj.kind].group, kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace !== undefined) key.namespace = obj.metadata.namespace;
  return key;
}

export function formatKey(key: ResourceKey): string {
  return key.namespace ? `${key.kind}/${key.namespace}/${key.name}` : `${key.kind}/${key.name}`;
}

/** Each kind's place in KIND_ORDER: sorting thousands of objects looks it up for every comparison. */
const KIND_RANK = Object.fromEntries(KIND_ORDER.map((kind, i) => [kind, i])) as Record<ManagedKind, number>;

/** Fixed kind order, then namespace, then name. */
export function compareKeys(a: ResourceKey, b: ResourceKey): number {
  return compareParts(a.kind, a.namespace, a.name, b.kind, b.namespace, b.name);
}

/** `compareKeys` of the objects' keys, without building them. */
export function compareObjects(a: ManagedObject, b: ManagedObject): number {
  const [ma, mb] = [a.metadata, b.metadata];
  return compareParts(a.kind, ma.namespace, ma.name, b.kind, mb.namespace, mb.name);
}

function compareParts(
  kindA: ManagedKind,
  nsA: string | undefined,
  nameA: string,
  kindB: ManagedKind,
  nsB: string | undefined,
  nameB: string,
): number {
  const byKind = KIND_RANK[kindA] - KIND_RANK[kindB];
  if (byKind !== 0) return byKind;
  const byNs = compareCodeUnits(nsA ?? '', nsB ?? '');
  return byNs !== 0 ? byNs : compareCodeUnits(nameA, nameB);
}

/** Sorts `list` in place by `compare`; a list already in order (the usual case) is only checked, once. */
export function sortIfNeeded<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return list.sort(compare);
  return list;
}

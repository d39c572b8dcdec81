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

/** Fixed kind order, then namespace, then name. */
export function compareKeys(a: ResourceKey, b: ResourceKey): number {
  const byKind = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (byKind !== 0) return byKind;
  const byNs = compareCodeUnits(a.namespace ?? '', b.namespace ?? '');
  return byNs !== 0 ? byNs : compareCodeUnits(a.name, b.name);
}

export function compareObjects(a: ManagedObject, b: ManagedObject): number {
  return compareKeys(keyOf(a), keyOf(b));
}

/** Small RBAC objects for reconcile unit tests: desired as the compiler writes them, live as a server returns them. */
import type { LiveObject } from '../../../src/cluster/types.js';
import { INSTANCE_LABEL, MANAGED_BY_LABEL, SOURCE_ANNOTATION } from '../../../src/resources/labels.js';
import type { ClusterRoleObject, ManagedObject, RoleBindingObject } from '../../../src/resources/types.js';

export const INSTANCE = 'unit';
export const OWNED = { [MANAGED_BY_LABEL]: 'roster', [INSTANCE_LABEL]: INSTANCE };

export function binding(name: string, namespace: string, users: string[], role = 'roster:viewer'): RoleBindingObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace, labels: { ...OWNED }, annotations: { [SOURCE_ANNOTATION]: 'teams/t.yaml' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: users.map((u) => ({ kind: 'User' as const, apiGroup: 'rbac.authorization.k8s.io', name: u })),
  };
}

export function clusterRole(name: string, verbs: string[]): ClusterRoleObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...OWNED } },
    rules: [{ apiGroups: [''], resources: ['pods'], verbs }],
  };
}

let uid = 0;

/** The object as the API server would hand it back: uid, resourceVersion, managedFields, timestamps. */
export function asLive(obj: ManagedObject, extra: Record<string, unknown> = {}): LiveObject {
  uid += 1;
  const copy = structuredClone(obj) as unknown as LiveObject;
  copy.metadata = {
    ...copy.metadata,
    uid: `uid-${uid}`,
    resourceVersion: String(100 + uid),
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'roster', operation: 'Apply' }],
  };
  return Object.assign(copy, extra);
}

/**
 * The live RBAC of one cluster as an `RbacSnapshot`: every Role, ClusterRole, RoleBinding and ClusterRoleBinding,
 * not only Roster's (four paged LISTs with no label selector). Bindings without this repository's ownership labels
 * are marked unmanaged; the team or token of a managed binding comes from its labels.
 */

import type { ClusterClient, LiveObject } from '../cluster/index.js';
import type { Holder } from '../compile/types.js';
import {
  DELEGATION_LABEL,
  INSTANCE_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  TEAM_LABEL,
  TOKEN_LABEL,
} from '../resources/labels.js';
import type { RbacBinding, RbacRole, RbacSnapshot } from './types.js';

export async function readLiveSnapshot(client: ClusterClient, instance: string): Promise<RbacSnapshot> {
  const [clusterRoles, roles, clusterBindings, bindings] = await Promise.all([
    client.list('ClusterRole', ''),
    client.list('Role', ''),
    client.list('ClusterRoleBinding', ''),
    client.list('RoleBinding', ''),
  ]);
  return {
    cluster: client.cluster,
    roles: [...clusterRoles, ...roles].map(liveRole),
    bindings: [...clusterBindings, ...bindings].map((b) => liveBinding(b, instance)),
  };
}

export function liveRole(obj: LiveObject): RbacRole {
  const role: RbacRole = {
    kind: obj.kind === 'Role' ? 'Role' : 'ClusterRole',
    name: obj.metadata.name,
    rules: obj.rules ?? [],
  };
  if (obj.kind === 'Role' && obj.metadata.namespace) role.namespace = obj.metadata.namespace;
  return role;
}

export function liveBinding(obj: LiveObject, instance: string): RbacBinding {
  const labels = obj.metadata.labels ?? {};
  const managed = labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[INSTANCE_LABEL] === instance;
  const binding: RbacBinding = {
    kind: obj.kind === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding',
    name: obj.metadata.name,
    roleRef: { kind: obj.roleRef?.kind === 'Role' ? 'Role' : 'ClusterRole', name: obj.roleRef?.name ?? '' },
    subjects: obj.subjects ?? [],
    managed,
  };
  if (obj.kind === 'RoleBinding' && obj.metadata.namespace) binding.namespace = obj.metadata.namespace;
  const holder = managed ? holderOf(labels) : undefined;
  if (holder) binding.holder = holder;
  const delegation = managed ? labels[DELEGATION_LABEL] : undefined;
  if (delegation) binding.delegation = delegation;
  return binding;
}

function holderOf(labels: Record<string, string>): Holder | undefined {
  if (labels[TEAM_LABEL]) return { kind: 'team', name: labels[TEAM_LABEL] };
  if (labels[TOKEN_LABEL]) return { kind: 'token', name: labels[TOKEN_LABEL] };
  return undefined;
}

/**
 * The desired state of one cluster as an `RbacSnapshot`: every role as the ClusterRole `roster:<role>` it compiles
 * to, and one binding per (holder, role, namespace) from the compiler's access entries, including namespace
 * patterns that stay unexpanded offline (marked `pattern`, never authorizing anything).
 */

import type { AccessEntry, CompileResult, DesiredState } from '../compile/types.js';
import { bindingName, roleObjectName } from '../resources/names.js';
import type { RbacBinding, RbacRole, RbacSnapshot } from './types.js';

export function desiredSnapshot(state: DesiredState, roleRules: CompileResult['roleRules']): RbacSnapshot {
  const roles: RbacRole[] = Object.entries(roleRules).map(([name, role]) => ({
    kind: 'ClusterRole',
    name: roleObjectName(name),
    rules: role.rules,
  }));
  const bindings = new Map<string, RbacBinding>();
  for (const entry of state.access) {
    const binding = bindingFor(entry);
    const key = `${binding.kind}\0${binding.namespace ?? ''}\0${binding.name}`;
    const seen = bindings.get(key);
    if (seen) seen.subjects.push(entry.subject);
    else bindings.set(key, binding);
  }
  return { cluster: state.cluster, roles, bindings: [...bindings.values()] };
}

function bindingFor(entry: AccessEntry): RbacBinding {
  const binding: RbacBinding = {
    kind: entry.scope === 'cluster' ? 'ClusterRoleBinding' : 'RoleBinding',
    name: bindingName(entry.holder, entry.role),
    roleRef: { kind: 'ClusterRole', name: roleObjectName(entry.role) },
    subjects: [entry.subject],
    managed: true,
    holder: entry.holder,
    role: entry.role,
  };
  const namespace = entry.namespace ?? entry.pattern;
  if (entry.scope === 'namespace' && namespace !== undefined) binding.namespace = namespace;
  if (entry.pattern !== undefined) binding.pattern = true;
  if (entry.expires !== undefined) binding.expires = entry.expires;
  if (entry.delegation !== undefined) binding.delegation = entry.delegation;
  return binding;
}

/**
 * Who has what, as data: for one cluster, the scopes (cluster-wide, then namespaces) where an identity, anyone in a
 * namespace, or anyone at all holds a role, with the bindings that grant it and the role's rules. The one access
 * tree: `roster access`, `whoami` and `plan --offline` all build it here; `render.ts` draws it. Pure.
 */

import { compareCodeUnits } from '../compare.js';
import { globToRegExp } from '../model/patterns.js';
import type { Holder } from '../compile/types.js';
import type { PolicyRule } from '../model/types.js';
import type { Subject } from '../resources/types.js';
import { appliesToUser } from './evaluate.js';
import type { UserInfo } from '../resources/authorization.js';
import type { RbacBinding, RbacSnapshot } from './types.js';

/** Everything one identity holds, everything anyone holds in one namespace, or everything (`plan --offline`). */
export type AccessFilter = { user: UserInfo } | { namespace: string; includeSystem?: boolean } | { all: true };

export interface BindingAccess {
  kind: RbacBinding['kind'];
  namespace?: string;
  name: string;
  managed: boolean;
  holder?: Holder;
  delegation?: string;
  expires?: string;
  /** The subjects that reach the identity (subject view) or all subjects of the binding (namespace view). */
  subjects: Subject[];
}

export interface RoleAccess {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** False when the binding points at a role that does not exist: it grants nothing. */
  found: boolean;
  bindings: BindingAccess[];
  rules: PolicyRule[];
}

export interface ScopeAccess {
  /** Undefined for cluster-wide access. */
  namespace?: string;
  /** `namespace` is an unexpanded glob pattern (offline only). */
  pattern?: boolean;
  roles: RoleAccess[];
}

export interface ClusterAccess {
  cluster: string;
  scopes: ScopeAccess[];
  /** The cluster could not be read (live): why. */
  error?: string;
}

export function clusterAccess(snapshot: RbacSnapshot, filter: AccessFilter): ClusterAccess {
  const scopes = new Map<string, ScopeAccess>();
  const roles = new Map(snapshot.roles.map((r) => [roleKey(r.kind, r.namespace, r.name), r]));
  for (const binding of [...snapshot.bindings].sort(compareBindings)) {
    const subjects = selectedSubjects(binding, filter);
    if (subjects.length === 0) continue;
    const scope = scopeFor(scopes, binding);
    const refNs = binding.roleRef.kind === 'Role' ? binding.namespace : undefined;
    let role = scope.roles.find((r) => r.kind === binding.roleRef.kind && r.name === binding.roleRef.name);
    if (!role) {
      const found = roles.get(roleKey(binding.roleRef.kind, refNs, binding.roleRef.name));
      role = {
        kind: binding.roleRef.kind,
        name: binding.roleRef.name,
        found: found !== undefined,
        bindings: [],
        rules: found?.rules ?? [],
      };
      scope.roles.push(role);
    }
    role.bindings.push(bindingAccess(binding, subjects));
  }
  return { cluster: snapshot.cluster, scopes: sortScopes([...scopes.values()]) };
}

function selectedSubjects(binding: RbacBinding, filter: AccessFilter): Subject[] {
  if ('all' in filter) return binding.subjects;
  if ('user' in filter) return binding.subjects.filter((s) => appliesToUser(filter.user, s, binding.namespace ?? ''));
  if (!reachesNamespace(binding, filter.namespace)) return [];
  if (!filter.includeSystem && isSystemBinding(binding)) return [];
  return binding.subjects;
}

function reachesNamespace(binding: RbacBinding, namespace: string): boolean {
  if (binding.kind === 'ClusterRoleBinding') return true;
  if (binding.pattern) return globToRegExp(binding.namespace ?? '').test(namespace);
  return binding.namespace === namespace;
}

/** Kubernetes' own bootstrap bindings (system:…, or only for system: identities): noise in a namespace view. */
export function isSystemBinding(binding: RbacBinding): boolean {
  if (binding.managed) return false;
  return binding.name.startsWith('system:') || binding.subjects.every((s) => s.name.startsWith('system:'));
}

function scopeFor(scopes: Map<string, ScopeAccess>, binding: RbacBinding): ScopeAccess {
  const key = binding.kind === 'ClusterRoleBinding' ? '' : `${binding.pattern ? 'p' : 'n'}:${binding.namespace ?? ''}`;
  let scope = scopes.get(key);
  if (!scope) {
    const where =
      key === '' ? {} : { namespace: binding.namespace ?? '', ...(binding.pattern ? { pattern: true } : {}) };
    scope = { ...where, roles: [] };
    scopes.set(key, scope);
  }
  return scope;
}

function bindingAccess(binding: RbacBinding, subjects: Subject[]): BindingAccess {
  return {
    kind: binding.kind,
    ...(binding.namespace !== undefined ? { namespace: binding.namespace } : {}),
    name: binding.name,
    managed: binding.managed,
    ...(binding.holder ? { holder: binding.holder } : {}),
    ...(binding.delegation ? { delegation: binding.delegation } : {}),
    ...(binding.expires ? { expires: binding.expires } : {}),
    subjects,
  };
}

/** Cluster-wide first, then namespaces and patterns by name; roles by kind and name inside each scope. */
function sortScopes(scopes: ScopeAccess[]): ScopeAccess[] {
  for (const scope of scopes)
    scope.roles.sort((a, b) => compareCodeUnits(a.kind, b.kind) || compareCodeUnits(a.name, b.name));
  return scopes.sort((a, b) => compareCodeUnits(scopeSortKey(a), scopeSortKey(b)));
}

function scopeSortKey(scope: ScopeAccess): string {
  return scope.namespace === undefined ? '' : `~${scope.namespace}\0${scope.pattern ? 'p' : 'n'}`;
}

function compareBindings(a: RbacBinding, b: RbacBinding): number {
  return (
    compareCodeUnits(a.kind, b.kind) ||
    compareCodeUnits(a.namespace ?? '', b.namespace ?? '') ||
    compareCodeUnits(a.name, b.name)
  );
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\0${kind === 'Role' ? (namespace ?? '') : ''}\0${name}`;
}

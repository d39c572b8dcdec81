/**
 * RBAC authorization as the API server does it (kubernetes pkg/apis/rbac/v1/evaluation_helpers.go and
 * plugin/pkg/auth/authorizer/rbac): a request is allowed when any rule of a role bound to one of the user's
 * identities matches it. ClusterRoleBindings count everywhere; RoleBindings only in their own namespace. Pure.
 */

import type { PolicyRule } from '../model/types.js';
import {
  isNonResource,
  type Decision,
  type NonResourceRequest,
  type RequestAttributes,
  type ResourceRequest,
  type UserInfo,
} from '../resources/authorization.js';
import type { Subject } from '../resources/types.js';
import type { RbacBinding, RbacRole, RbacSnapshot } from './types.js';

export function authorize(snapshot: RbacSnapshot, user: UserInfo, attrs: RequestAttributes): Decision {
  const roles = roleIndex(snapshot.roles);
  const namespace = isNonResource(attrs) ? '' : attrs.namespace;
  for (const binding of snapshot.bindings) {
    if (!bindingCounts(binding, namespace)) continue;
    if (!binding.subjects.some((s) => appliesToUser(user, s, binding.namespace ?? ''))) continue;
    const role = roles.get(
      roleKey(
        binding.roleRef.kind,
        binding.roleRef.kind === 'Role' ? binding.namespace : undefined,
        binding.roleRef.name,
      ),
    );
    if (role?.rules.some((rule) => ruleAllows(rule, attrs))) return { allowed: true, reason: explain(binding, role) };
  }
  return { allowed: false };
}

/** Patterns left unexpanded offline never authorize anything: only a real namespace name can be bound. */
function bindingCounts(binding: RbacBinding, namespace: string): boolean {
  if (binding.pattern) return false;
  if (binding.kind === 'ClusterRoleBinding') return true;
  return namespace !== '' && binding.namespace === namespace;
}

export function appliesToUser(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.user === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      // An unqualified ServiceAccount subject means the binding's own namespace.
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && user.user === serviceAccountUser(namespace, subject.name);
    }
  }
}

export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The groups the API server puts every ServiceAccount token in. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!matchesAny(rule.verbs, attrs.verb)) return false;
  return isNonResource(attrs) ? nonResourceMatches(rule, attrs) : resourceMatches(rule, attrs);
}

function resourceMatches(rule: PolicyRule, attrs: ResourceRequest): boolean {
  if (!matchesAny(rule.apiGroups ?? [], attrs.group)) return false;
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const resources = rule.resources ?? [];
  const resourceOk = resources.some(
    (r) => r === '*' || r === combined || (attrs.subresource !== undefined && r === `*/${attrs.subresource}`),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attrs.name !== undefined && names.includes(attrs.name));
}

function nonResourceMatches(rule: PolicyRule, attrs: NonResourceRequest): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (url) => url === '*' || url === attrs.path || (url.endsWith('*') && attrs.path.startsWith(url.slice(0, -1))),
  );
}

function matchesAny(values: readonly string[], wanted: string): boolean {
  return values.includes('*') || values.includes(wanted);
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\0${namespace ?? ''}\0${name}`;
}

function roleIndex(roles: readonly RbacRole[]): Map<string, RbacRole> {
  return new Map(roles.map((r) => [roleKey(r.kind, r.kind === 'Role' ? r.namespace : undefined, r.name), r]));
}

function explain(binding: RbacBinding, role: RbacRole): string {
  const where = binding.namespace ? `${binding.namespace}/` : '';
  return `allowed by ${binding.kind} "${where}${binding.name}" of ${role.kind} "${role.name}"`;
}

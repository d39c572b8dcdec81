/**
 * RBAC authorization as the API server does it (kubernetes pkg/apis/rbac/v1/evaluation_helpers.go and
 * plugin/pkg/auth/authorizer/rbac): a request is allowed when any rule of a role bound to one of the user's
 * identities matches it. ClusterRoleBindings count everywhere; RoleBindings only in their own namespace. Pure.
 */

import { globToRegExp } from '../model/patterns.js';
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

/** One binding that allows a request, with the subjects of it the user matched (a user can match several). */
export interface Allowance {
  binding: RbacBinding;
  role: RbacRole;
  subjects: Subject[];
}

export interface AuthorizerOptions {
  /**
   * How an unexpanded namespace pattern counts. `never` (the default, offline views): only a real namespace name
   * can be bound. `glob`: the pattern counts in every namespace it matches except `protected` ones, as apply would
   * expand it against a cluster that has the namespace (used when the namespace is known to exist, e.g. in a log).
   */
  patterns?: 'never' | 'glob';
  protectedNamespaces?: readonly string[];
}

/** A snapshot indexed once for many questions: roles by key, RoleBindings by namespace. */
export class Authorizer {
  private readonly roles: Map<string, RbacRole>;
  private readonly clusterWide: RbacBinding[] = [];
  private readonly byNamespace = new Map<string, RbacBinding[]>();
  private readonly patterns: Array<{ binding: RbacBinding; match: RegExp }> = [];
  private readonly protectedNamespaces: Set<string>;

  constructor(snapshot: RbacSnapshot, opts: AuthorizerOptions = {}) {
    this.roles = roleIndex(snapshot.roles);
    this.protectedNamespaces = new Set(opts.protectedNamespaces ?? []);
    for (const binding of snapshot.bindings) {
      if (binding.pattern) {
        if (opts.patterns === 'glob') this.patterns.push({ binding, match: globToRegExp(binding.namespace ?? '') });
      } else if (binding.kind === 'ClusterRoleBinding') this.clusterWide.push(binding);
      else {
        const list = this.byNamespace.get(binding.namespace ?? '') ?? [];
        list.push(binding);
        this.byNamespace.set(binding.namespace ?? '', list);
      }
    }
  }

  /** One binding that allows the request (cluster-wide ones first), like the reason the API server gives. */
  authorize(user: UserInfo, attrs: RequestAttributes): Decision {
    const first = this.allowances(user, attrs, { first: true })[0];
    return first ? { allowed: true, reason: explain(first.binding, first.role) } : { allowed: false };
  }

  /** Every binding that allows the request. */
  allowances(user: UserInfo, attrs: RequestAttributes, opts: { first?: boolean } = {}): Allowance[] {
    const found: Allowance[] = [];
    for (const binding of this.candidates(isNonResource(attrs) ? '' : attrs.namespace)) {
      const subjects = binding.subjects.filter((s) =>
        appliesToUser(
          user,
          s,
          binding.pattern ? (isNonResource(attrs) ? '' : attrs.namespace) : (binding.namespace ?? ''),
        ),
      );
      if (subjects.length === 0) continue;
      const role = this.roles.get(
        roleKey(
          binding.roleRef.kind,
          binding.roleRef.kind === 'Role' ? binding.namespace : undefined,
          binding.roleRef.name,
        ),
      );
      if (!role?.rules.some((rule) => ruleAllows(rule, attrs))) continue;
      found.push({ binding, role, subjects });
      if (opts.first) break;
    }
    return found;
  }

  private *candidates(namespace: string): Generator<RbacBinding> {
    yield* this.clusterWide;
    if (namespace === '') return;
    yield* this.byNamespace.get(namespace) ?? [];
    if (this.protectedNamespaces.has(namespace)) return;
    for (const p of this.patterns) if (p.match.test(namespace)) yield p.binding;
  }
}

export function authorize(snapshot: RbacSnapshot, user: UserInfo, attrs: RequestAttributes): Decision {
  return new Authorizer(snapshot).authorize(user, attrs);
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

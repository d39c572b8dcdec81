/** A grant fits its role's scope and stays out of protected namespaces. */

import type { Diagnostic } from '../diagnostics.js';
import { isBuiltinRole } from '../model/builtins-names.js';
import { heldGrants, roleScope, type Check, type CheckContext, type HeldGrant } from './context.js';
import { diag } from './report.js';

/** The built-in counterpart in the other scope, for hints: editor ↔ cluster-editor. */
function counterpart(role: string): string | undefined {
  const other = role.startsWith('cluster-') ? role.slice('cluster-'.length) : `cluster-${role}`;
  return isBuiltinRole(role) && isBuiltinRole(other) ? other : undefined;
}

export const checkGrantScope: Check = (ctx) => heldGrants(ctx).flatMap((held) => scopeProblem(ctx, held));

function scopeProblem(ctx: CheckContext, { grant, doc, path }: HeldGrant): Diagnostic[] {
  const scope = roleScope(ctx, grant.role);
  const other = counterpart(grant.role);
  if (scope === 'namespace' && grant.namespaces.length === 0) {
    return [diag(doc, [...path, 'role'], 'grant-scope', `role "${grant.role}" is namespace-scoped: the grant needs namespaces`, {
      hint: `add namespaces: [...]${other ? `, or use "${other}" for access in every namespace` : ''}`,
    })];
  }
  if (scope === 'cluster' && grant.namespaces.length > 0) {
    return [diag(doc, [...path, 'namespaces'], 'grant-scope', `role "${grant.role}" is cluster-scoped and applies to every namespace: remove namespaces`, {
      hint: other ? `use "${other}" for access in these namespaces only` : 'use a namespace-scoped role for access in these namespaces only',
    })];
  }
  return [];
}

export const checkProtectedNamespaces: Check = (ctx) => heldGrants(ctx).flatMap((held) => protectedProblems(ctx, held));

function protectedProblems(ctx: CheckContext, { grant, doc, path }: HeldGrant): Diagnostic[] {
  const protectedNs = ctx.settings.protectedNamespaces;
  return grant.namespaces.flatMap((ns, i): Diagnostic[] => {
    const at = [...path, 'namespaces', i];
    if (!isPattern(ns)) {
      if (!protectedNs.includes(ns) || grant.privileged) return [];
      return [diag(doc, at, 'protected-namespace', `namespace "${ns}" is protected (Settings spec.protectedNamespaces): Roster does not bind roles there`, {
        hint: 'remove it from this grant; if this access is really needed, set privileged: true on the grant so reviewers see it',
      })];
    }
    const hit = protectedNs.filter((p) => globToRegExp(ns).test(p));
    if (hit.length === 0) return [];
    return [diag(doc, at, 'protected-namespace', `pattern "${ns}" matches protected namespace${hit.length > 1 ? 's' : ''} ${hit.join(', ')}; Roster skips ${hit.length > 1 ? 'them' : 'it'}`, {
      severity: 'warning',
      hint: 'patterns never reach protected namespaces; name one explicitly with privileged: true if access is needed there',
    })];
  });
}

export function isPattern(ns: string): boolean {
  return ns.includes('*') || ns.includes('?');
}

/** `payments-*` → /^payments-.*$/ ; `?` is one character. Only [a-z0-9-] besides the wildcards (the schema checks). */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

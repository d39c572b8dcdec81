/** A grant fits its role's scope and stays out of protected namespaces. */

import type { Diagnostic } from '../diagnostics.js';
import { isBuiltinRole } from '../model/builtins-names.js';
import { globToRegExp, isPattern } from '../model/patterns.js';
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
  if (scope === 'namespace' && grant.namespaces.length === 0) {
    const other = counterpart(grant.role);
    return [
      diag(
        doc,
        [...path, 'role'],
        'grant-scope',
        `role "${grant.role}" is namespace-scoped: the grant needs namespaces`,
        {
          hint: `add namespaces: [...]${other ? `, or use "${other}" for access in every namespace` : ''}`,
        },
      ),
    ];
  }
  if (scope === 'cluster' && grant.namespaces.length > 0) {
    const other = counterpart(grant.role);
    return [
      diag(
        doc,
        [...path, 'namespaces'],
        'grant-scope',
        `role "${grant.role}" is cluster-scoped and applies to every namespace: remove namespaces`,
        {
          hint: other
            ? `use "${other}" for access in these namespaces only`
            : 'use a namespace-scoped role for access in these namespaces only',
        },
      ),
    ];
  }
  return [];
}

export const checkProtectedNamespaces: Check = (ctx) => heldGrants(ctx).flatMap((held) => protectedProblems(ctx, held));

function protectedProblems(ctx: CheckContext, { grant, doc, path }: HeldGrant): Diagnostic[] {
  const protectedNs = ctx.settings.protectedNamespaces;
  const out: Diagnostic[] = [];
  grant.namespaces.forEach((ns, i) => {
    if (!isPattern(ns)) {
      if (!protectedNs.includes(ns) || grant.privileged) return;
      out.push(
        diag(
          doc,
          [...path, 'namespaces', i],
          'protected-namespace',
          `namespace "${ns}" is protected (Settings spec.protectedNamespaces): Roster does not bind roles there`,
          {
            hint:
              'remove it from this grant; ' +
              'if this access is really needed, set privileged: true on the grant so reviewers see it',
          },
        ),
      );
      return;
    }
    const hit = protectedMatches(protectedNs, ns);
    if (hit.length === 0) return;
    out.push(
      diag(
        doc,
        [...path, 'namespaces', i],
        'protected-namespace',
        `pattern "${ns}" matches protected namespace${hit.length > 1 ? 's' : ''} ${hit.join(', ')}; ` +
          `Roster skips ${hit.length > 1 ? 'them' : 'it'}`,
        {
          severity: 'warning',
          hint:
            'patterns never reach protected namespaces; ' +
            'name one explicitly with privileged: true if access is needed there',
        },
      ),
    );
  });
  return out;
}

/**
 * The protected namespaces a pattern matches, kept per protected list (by identity: validation hands out the same
 * Settings object for an unchanged document, and DEFAULT_SETTINGS otherwise) and pattern. `roster audit`
 * validates every commit of a history and meets the same patterns each time; compiling and running their RegExps
 * was most of this check. Bounded: a list's entries start over when full.
 */
const matchesByList = new WeakMap<readonly string[], Map<string, readonly string[]>>();
const MAX_PATTERNS = 4096;
export function protectedMatches(protectedNs: readonly string[], pattern: string): readonly string[] {
  let byPattern = matchesByList.get(protectedNs);
  if (!byPattern) matchesByList.set(protectedNs, (byPattern = new Map<string, readonly string[]>()));
  let hit = byPattern.get(pattern);
  if (!hit) {
    if (byPattern.size >= MAX_PATTERNS) byPattern.clear();
    const regexp = globToRegExp(pattern);
    byPattern.set(pattern, (hit = protectedNs.filter((p) => regexp.test(p))));
  }
  return hit;
}

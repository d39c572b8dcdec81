/**
 * Suspensions: a token they name must exist (a typo there would silently suspend nothing); a user, group or
 * service account that nothing in Git grants is probably a typo too, but suspending it is harmless, so a warning;
 * an ended suspension is a warning like an expired grant.
 */

import type { Diagnostic } from '../diagnostics.js';
import type { Suspension } from '../model/types.js';
import type { Check, CheckContext } from './context.js';
import type { Entry } from './collect.js';
import { diag } from './report.js';
import { didYouMean } from './suggest.js';
import { formatTime } from '../time.js';

export const checkSuspensions: Check = (ctx) => ctx.c.suspensions.flatMap((entry) => suspensionProblems(ctx, entry));

function suspensionProblems(ctx: CheckContext, { item, doc }: Entry<Suspension>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const tokens = ctx.names.AccessToken;
  item.subjects.tokens.forEach((name, i) => {
    if (tokens.has(name) || ctx.incomplete.has('AccessToken')) return;
    out.push(
      diag(
        doc,
        ['spec', 'subjects', 'tokens', i],
        'unknown-token',
        `unknown token "${name}"${didYouMean(name, tokens)}`,
        {
          hint: 'name the metadata.name of an AccessToken; suspend other service accounts under serviceAccounts',
        },
      ),
    );
  });
  if (!ctx.incomplete.has('Team')) out.push(...unmatched(ctx, item, doc), ...throughGroups(ctx, item, doc));
  if (item.expires && item.expires <= ctx.now) {
    out.push(
      diag(doc, ['spec', 'expires'], 'expired', `suspension ${item.name} ended on ${formatTime(item.expires)}`, {
        severity: 'warning',
        hint: 'it no longer suspends anyone; remove the document',
      }),
    );
  }
  return out;
}

function unmatched(ctx: CheckContext, item: Suspension, doc: Entry<Suspension>['doc']): Diagnostic[] {
  const teams = ctx.c.teams.map((t) => t.item.members);
  const known = {
    users: new Set(teams.flatMap((m) => m.users)),
    groups: new Set(teams.flatMap((m) => m.groups)),
    serviceAccounts: new Set(teams.flatMap((m) => m.serviceAccounts)),
  };
  const what = { users: 'user', groups: 'group', serviceAccounts: 'service account' } as const;
  return (['users', 'groups', 'serviceAccounts'] as const).flatMap((list) =>
    item.subjects[list].flatMap((name, i) => {
      if (known[list].has(name)) return [];
      if (list === 'serviceAccounts' && name.startsWith(`${ctx.settings.tokenNamespace}/`)) return [];
      const message = `no Team names the ${what[list]} "${name}"${didYouMean(name, known[list])}`;
      return [
        diag(doc, ['spec', 'subjects', list, i], 'suspension-unmatched', message, {
          severity: 'warning',
          hint:
            'suspending a name nothing grants changes nothing; ' +
            'check the spelling (names are written without prefixes)',
        }),
      ];
    }),
  );
}

/**
 * RBAC has no deny: a suspended user still gets whatever reaches them through a group. Git knows which groups go
 * with a user (the groups of the teams that list them, which `roster kubeconfig --user` also puts in certificates),
 * so say which of those stay unsuspended.
 */
function throughGroups(ctx: CheckContext, item: Suspension, doc: Entry<Suspension>['doc']): Diagnostic[] {
  const suspendedGroups = new Set(item.subjects.groups);
  return item.subjects.users.flatMap((user, i) => {
    const teams = ctx.c.teams.map((t) => t.item).filter((t) => t.members.users.includes(user));
    const groups = [...new Set(teams.flatMap((t) => t.members.groups))].filter((g) => !suspendedGroups.has(g)).sort();
    if (groups.length === 0) return [];
    const list = groups.map((g) => `"${g}"`).join(', ');
    return [
      diag(
        doc,
        ['spec', 'subjects', 'users', i],
        'suspension-groups',
        `${user} is suspended, but the groups ${list} of their teams are not`,
        {
          severity: 'warning',
          hint:
            'RBAC cannot deny: anyone in those groups (certificates from roster kubeconfig included) ' +
            "keeps their access; suspend the groups too, or remove the user from the identity provider's groups",
        },
      ),
    ];
  });
}

/**
 * Settings `spec.grantPolicy`: grants of the roles a rule names (or of any privileged role), on the clusters it
 * selects, must expire, and no later than its maxDuration from now (or from the grant's notBefore). Team grants and
 * AccessToken grants alike: a token's grant lasts until its own expires or the token's, whichever comes first, so a
 * token cannot hold for a year what a person may hold for 8 hours. Checked on every validate, so a hand-written
 * grant is held to the same rule as one the command line wrote. A rule that requires a reason requires the grant's
 * `description`, where `roster grant --reason` writes it (the commit's Roster-Reason trailer repeats it).
 */

import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
import type { AccessToken, Cluster, ClusterSelector, GrantPolicyRule } from '../model/types.js';
import { PRIVILEGED_BUILTINS } from './guardrails.js';
import { heldGrants, knownRoleNames, type Check, type CheckContext, type HeldGrant } from './context.js';
import { diag, where } from './report.js';
import { formatDuration, formatTime } from '../time.js';

export const checkGrantPolicy: Check = (ctx) => {
  const rules = ctx.settings.grantPolicy;
  if (rules.length === 0) return [];
  const settingsDoc = ctx.c.settings[0]?.doc;
  const ruleAt = (r: GrantPolicyRule) =>
    `Settings spec.grantPolicy[${r.index}]` +
    `${settingsDoc ? ` (${where(settingsDoc, ['spec', 'grantPolicy', r.index])})` : ''}`;
  const clusters = ctx.c.clusters.map((e) => e.item);
  const privileged = privilegedRoles(ctx);
  const tokens = new Map(ctx.c.tokens.map((e) => [e.item.name, e]));
  const out: Diagnostic[] = [...unknownRoles(ctx, rules)];
  for (const held of heldGrants(ctx)) {
    const { grant, doc, path } = held;
    const token = held.holder.kind === 'AccessToken' ? tokens.get(held.holder.name) : undefined;
    const bounds = boundsOf(ctx, held, token);
    for (const rule of rules) {
      const covered = rule.roles.includes(grant.role) || (rule.privileged && privileged.has(grant.role));
      if (!covered || !overlaps(grant.clusters, rule.clusters, clusters)) continue;
      const limit = describeRule(rule);
      if (rule.requireReason && !grant.description?.trim())
        out.push(
          diag(doc, path, 'grant-policy', `grant of role "${grant.role}" needs a reason (${ruleAt(rule)}: ${limit})`, {
            hint: 'add description: the ticket or incident it is for (`roster grant --reason TEXT` writes it there)',
          }),
        );
      if (!bounds.expires) {
        if (rule.requireExpiry)
          out.push(
            diag(doc, path, 'grant-policy', `grant of role "${grant.role}" must expire (${ruleAt(rule)}: ${limit})`, {
              hint: rule.maxDurationSeconds
                ? `add expires: ${latestEnd(ctx.now, rule.maxDurationSeconds)} or earlier`
                : 'add an expires',
            }),
          );
        continue;
      }
      const seconds = (bounds.expires.getTime() - bounds.start.getTime()) / 1000;
      if (rule.maxDurationSeconds === undefined || seconds <= rule.maxDurationSeconds) continue;
      const latest = latestEnd(bounds.start, rule.maxDurationSeconds);
      const lasts = formatDuration(Math.ceil(seconds / 60) * 60);
      const breaks = `longer than ${formatDuration(rule.maxDurationSeconds)} (${ruleAt(rule)}: ${limit})`;
      out.push(
        bounds.tokenExpiry
          ? diag(
              doc,
              path,
              'grant-policy',
              `grant of role "${grant.role}" lasts ${lasts}, until the token's expires (${bounds.tokenExpiry}), ` +
                breaks,
              { hint: `give this grant expires: ${latest} or earlier, or let the token expire by then` },
            )
          : diag(doc, [...path, 'expires'], 'grant-policy', `grant of role "${grant.role}" lasts ${lasts}, ${breaks}`, {
              hint: `set expires to ${latest} or earlier`,
            }),
      );
    }
  }
  return out;
};

/** The latest expiry a rule allows, in whole seconds (rounded down, so the hint itself is within the rule). */
function latestEnd(start: Date, maxSeconds: number): string {
  return formatTime(new Date(Math.floor(start.getTime() / 1000) * 1000 + maxSeconds * 1000));
}

interface Bounds {
  start: Date;
  expires?: Date;
  /** Where the token's expires is (file:line:col), when it ends the grant before the grant's own expires would. */
  tokenExpiry?: string;
}

/** When a grant's access starts (not before now) and ends; a token's grant ends with the token at the latest. */
function boundsOf(
  ctx: CheckContext,
  { grant }: HeldGrant,
  token: { item: AccessToken; doc: LoadedDocument } | undefined,
): Bounds {
  const starts = [ctx.now, grant.notBefore, token?.item.notBefore].filter((d): d is Date => d !== undefined);
  const start = new Date(Math.max(...starts.map((d) => d.getTime())));
  if (!token) return grant.expires ? { start, expires: grant.expires } : { start };
  if (grant.expires && grant.expires <= token.item.expires) return { start, expires: grant.expires };
  return { start, expires: token.item.expires, tokenExpiry: where(token.doc, ['spec', 'expires']) };
}

/** `cluster-owner, privileged roles on clusters env=prod: at most 8h, expiry required` */
export function describeRule(rule: GrantPolicyRule): string {
  const who = [...rule.roles, ...(rule.privileged ? ['privileged roles'] : [])].join(', ');
  const where = 'all' in rule.clusters ? '' : ` on ${describeSelector(rule.clusters)}`;
  const what = [
    ...(rule.maxDurationSeconds !== undefined ? [`at most ${formatDuration(rule.maxDurationSeconds)}`] : []),
    ...(rule.requireExpiry ? ['expiry required'] : []),
    ...(rule.requireReason ? ['reason required'] : []),
  ].join(', ');
  return `${who}${where}: ${what || 'no limit'}`;
}

function describeSelector(s: ClusterSelector): string {
  if ('all' in s) return 'every cluster';
  if ('names' in s) return `clusters ${s.names.join(', ')}`;
  return `clusters ${Object.entries(s.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}`;
}

/** Built-in cluster-owner and custom roles marked privileged. */
export function privilegedRoles(ctx: Pick<CheckContext, 'c'>): Set<string> {
  return new Set([
    ...Object.keys(PRIVILEGED_BUILTINS),
    ...ctx.c.roles.filter((r) => r.item.privileged).map((r) => r.item.name),
  ]);
}

/** Whether some declared cluster is selected by both; a rule for every cluster covers every grant. */
export function overlaps(grant: ClusterSelector, rule: ClusterSelector, clusters: readonly Cluster[]): boolean {
  if ('all' in rule) return true;
  return clusters.some((c) => selects(grant, c) && selects(rule, c));
}

export function selects(s: ClusterSelector, c: Cluster): boolean {
  if ('all' in s) return true;
  if ('names' in s) return s.names.includes(c.name);
  return Object.entries(s.matchLabels).every(([k, v]) => c.labels[k] === v);
}

function unknownRoles(ctx: CheckContext, rules: readonly GrantPolicyRule[]): Diagnostic[] {
  const doc = ctx.c.settings[0]?.doc;
  if (!doc || ctx.incomplete.has('Role')) return [];
  const known = new Set(knownRoleNames(ctx));
  const empty = rules
    .filter((r) => r.roles.length === 0 && !r.privileged)
    .map((r) =>
      diag(doc, ['spec', 'grantPolicy', r.index], 'grant-policy', 'this rule covers no grant', {
        hint: 'name roles: [...] or set privileged: true',
      }),
    );
  return empty.concat(
    ...rules.map((r) =>
      r.roles
        .map((role, i) => ({ role, i }))
        .filter(({ role }) => !known.has(role))
        .map(({ role, i }) =>
          diag(
            doc,
            ['spec', 'grantPolicy', r.index, 'roles', i],
            'grant-policy',
            `unknown role "${role}": this rule covers no grant`,
            {
              severity: 'warning',
            },
          ),
        ),
    ),
  );
}

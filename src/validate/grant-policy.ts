/**
 * Settings `spec.grantPolicy`: team grants of the roles a rule names (or of any privileged role), on the clusters it
 * selects, must expire, and no later than its maxDuration from now (or from the grant's notBefore). Checked on every
 * validate, so a hand-written grant is held to the same rule as one the command line wrote.
 */

import type { Diagnostic } from '../diagnostics.js';
import type { Cluster, ClusterSelector, GrantPolicyRule } from '../model/types.js';
import { PRIVILEGED_BUILTINS } from './guardrails.js';
import { heldGrants, knownRoleNames, type Check, type CheckContext } from './context.js';
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
  const out: Diagnostic[] = [...unknownRoles(ctx, rules)];
  for (const { holder, grant, doc, path } of heldGrants(ctx)) {
    if (holder.kind !== 'Team') continue;
    for (const rule of rules) {
      const covered = rule.roles.includes(grant.role) || (rule.privileged && privileged.has(grant.role));
      if (!covered || !overlaps(grant.clusters, rule.clusters, clusters)) continue;
      const limit = describeRule(rule);
      if (!grant.expires) {
        if (rule.requireExpiry)
          out.push(
            diag(doc, path, 'grant-policy', `grant of role "${grant.role}" must expire (${ruleAt(rule)}: ${limit})`, {
              hint: rule.maxDurationSeconds
                ? `add expires: ${formatTime(new Date(ctx.now.getTime() + rule.maxDurationSeconds * 1000))} or earlier`
                : 'add an expires',
            }),
          );
        continue;
      }
      const start = grant.notBefore && grant.notBefore > ctx.now ? grant.notBefore : ctx.now;
      const seconds = (grant.expires.getTime() - start.getTime()) / 1000;
      if (rule.maxDurationSeconds === undefined || seconds <= rule.maxDurationSeconds) continue;
      const latest = new Date(start.getTime() + rule.maxDurationSeconds * 1000);
      out.push(
        diag(
          doc,
          [...path, 'expires'],
          'grant-policy',
          `grant of role "${grant.role}" lasts ${formatDuration(Math.ceil(seconds / 60) * 60)}, ` +
            `longer than ${formatDuration(rule.maxDurationSeconds)} (${ruleAt(rule)}: ${limit})`,
          { hint: `set expires to ${formatTime(latest)} or earlier` },
        ),
      );
    }
  }
  return out;
};

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

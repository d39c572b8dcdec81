/**
 * The usage report as data: every Roster grant on the logged clusters, every team member and every access token,
 * each with its count and last use (zero and none when the logs never show it), the unused ones with the
 * `roster revoke` command that would remove them, and what was allowed outside Roster. Pure and deterministic.
 */

import { compareCodeUnits } from '../compare.js';
import type { Holder } from '../compile/types.js';
import type { Model } from '../model/types.js';
import { formatTime } from '../time.js';
import type { RbacSnapshot } from '../access/types.js';
import { grantKey, memberKey, type MalformedLines, type Totals, type Use, type UsageTally } from './tally.js';

export const USAGE_VERSION = 'roster.dev/usage/v1';

export interface UsageOptions {
  now: Date;
  /** A grant, member or token with no use in this many days before `now` is listed as unused. */
  unusedForDays: number;
  since?: Date;
}

export interface LoggedCluster {
  cluster: string;
  files: string[];
  snapshot: RbacSnapshot;
}

interface Usage {
  count: number;
  lastUsed?: string;
  unused: boolean;
}

export interface GrantUsage extends Usage {
  cluster: string;
  holder: Holder;
  role: string;
  /** The namespace or pattern as written in Git; absent for cluster-wide grants. */
  namespace?: string;
  pattern?: true;
  revoke?: string;
}

export interface MemberUsage extends Usage {
  team: string;
  member: { kind: 'user' | 'group' | 'serviceaccount'; name: string };
  revoke?: string;
}

export interface TokenUsage extends Usage {
  token: string;
  owner: string;
  revoke?: string;
}

export interface OutsideUsage {
  cluster: string;
  user: string;
  count: number;
  lastUsed: string;
}

export interface UsageReport {
  version: typeof USAGE_VERSION;
  now: string;
  since?: string;
  unusedForDays: number;
  clusters: Array<{ cluster: string; files: string[]; requests: number; first?: string; last?: string }>;
  /** The logs reach back less than unusedForDays on some cluster: "unused" then means "unused in the logs". */
  shortCoverage: boolean;
  totals: Totals;
  /** Each file with lines that are not audit events (skipped and counted in totals.malformed): the first one. */
  malformed: MalformedLines[];
  grants: GrantUsage[];
  members: MemberUsage[];
  tokens: TokenUsage[];
  outside: OutsideUsage[];
}

export function buildUsageReport(
  model: Model,
  logged: LoggedCluster[],
  tally: UsageTally,
  opts: UsageOptions,
): UsageReport {
  const cutoff = opts.now.getTime() - opts.unusedForDays * 86_400_000;
  const usage = (use: Use | undefined): Usage => {
    const out: Usage = { count: use?.count ?? 0, unused: (use?.last ?? 0) < cutoff };
    if (use && use.last > 0) out.lastUsed = formatTime(new Date(use.last));
    return out;
  };
  const report: UsageReport = {
    version: USAGE_VERSION,
    now: formatTime(opts.now),
    unusedForDays: opts.unusedForDays,
    clusters: logged.map((l) => clusterSummary(l, tally)),
    shortCoverage: logged.some((l) => (tally.spans.get(l.cluster)?.first ?? Infinity) > cutoff),
    totals: tally.totals,
    malformed: tally.malformed,
    grants: grantsOf(logged, tally, usage, { members: firstMembers(model), model }),
    members: membersOf(model, tally, usage),
    tokens: model.tokens.map((t) => withRevoke({ token: t.name, owner: t.owner, ...usage(tally.tokens.get(t.name)) })),
    outside: outsideOf(tally),
  };
  if (opts.since) report.since = formatTime(opts.since);
  return report;
}

function clusterSummary(l: LoggedCluster, tally: UsageTally): UsageReport['clusters'][number] {
  const span = tally.spans.get(l.cluster);
  const summary: UsageReport['clusters'][number] = {
    cluster: l.cluster,
    files: l.files,
    requests: span?.requests ?? 0,
  };
  if (span) {
    summary.first = formatTime(new Date(span.first));
    summary.last = formatTime(new Date(span.last));
  }
  return summary;
}

/** `roster revoke` names a subject; a team grant is revoked through any one member (`--team` says whose grant). */
function firstMembers(model: Model): Map<string, string> {
  const first = new Map<string, string>();
  for (const team of model.teams) {
    const m = team.members;
    const subject = m.users[0]
      ? `user:${m.users[0]}`
      : m.groups[0]
        ? `group:${m.groups[0]}`
        : m.serviceAccounts[0]
          ? `sa:${m.serviceAccounts[0]}`
          : undefined;
    if (subject) first.set(team.name, subject);
  }
  return first;
}

function grantsOf(
  logged: LoggedCluster[],
  tally: UsageTally,
  usage: (u: Use | undefined) => Usage,
  revoke: { members: Map<string, string>; model: Model },
): GrantUsage[] {
  const grants = new Map<string, GrantUsage>();
  for (const { cluster, snapshot } of logged) {
    for (const binding of snapshot.bindings) {
      if (!binding.managed || !binding.holder || binding.role === undefined) continue;
      const key = grantKey(cluster, binding.holder, binding.role, binding.namespace ?? '');
      if (grants.has(key)) continue;
      const grant: GrantUsage = {
        cluster,
        holder: binding.holder,
        role: binding.role,
        ...usage(tally.grants.get(key)),
      };
      if (binding.namespace !== undefined) grant.namespace = binding.namespace;
      if (binding.pattern) grant.pattern = true;
      if (grant.unused) grant.revoke = grantRevoke(grant, revoke.model, revoke.members.get(binding.holder.name));
      grants.set(key, grant);
    }
  }
  return [...grants.values()].sort(
    (a, b) =>
      compareCodeUnits(a.holder.kind, b.holder.kind) ||
      compareCodeUnits(a.holder.name, b.holder.name) ||
      compareCodeUnits(a.role, b.role) ||
      compareCodeUnits(a.namespace ?? '', b.namespace ?? '') ||
      compareCodeUnits(a.cluster, b.cluster),
  );
}

function membersOf(model: Model, tally: UsageTally, usage: (u: Use | undefined) => Usage): MemberUsage[] {
  const members: MemberUsage[] = [];
  for (const team of model.teams) {
    const holder: Holder = { kind: 'team', name: team.name };
    const people: MemberUsage['member'][] = [
      ...team.members.users.map((name) => ({ kind: 'user' as const, name })),
      ...team.members.groups.map((name) => ({ kind: 'group' as const, name })),
      ...team.members.serviceAccounts.map((name) => ({ kind: 'serviceaccount' as const, name })),
    ];
    for (const member of people)
      members.push(withRevoke({ team: team.name, member, ...usage(tally.members.get(memberKey(holder, member))) }));
  }
  return members;
}

function outsideOf(tally: UsageTally): OutsideUsage[] {
  return [...tally.outside.entries()]
    .map(([key, use]) => {
      const [cluster, user] = key.split('\0') as [string, string];
      return { cluster, user, count: use.count, lastUsed: formatTime(new Date(use.last)) };
    })
    .sort((a, b) => b.count - a.count || compareCodeUnits(a.cluster, b.cluster) || compareCodeUnits(a.user, b.user));
}

/**
 * What removes an unused entry. A command where `roster revoke` can (team members, and team grants through one
 * member with --team); for access tokens, which revoke does not edit, what to change by hand.
 */
function withRevoke<T extends MemberUsage | TokenUsage>(entry: T): T {
  if (entry.unused) entry.revoke = revokeCommand(entry);
  return entry;
}

export function revokeCommand(entry: MemberUsage | TokenUsage): string {
  if ('token' in entry) return `delete AccessToken ${entry.token} from Git (roster revoke edits teams only)`;
  const prefix = { user: 'user', group: 'group', serviceaccount: 'sa' }[entry.member.kind];
  return `roster revoke ${prefix}:${entry.member.name} --team ${entry.team}`;
}

/**
 * `roster revoke` removes a grant as Git writes it, so the command names the grant's own cluster selector: the grant
 * goes from every cluster it is written for (the row may be about one of them).
 */
function grantRevoke(grant: GrantUsage, model: Model, member: string | undefined): string {
  const holder = grant.holder.kind === 'team' ? model.teams.find((t) => t.name === grant.holder.name) : undefined;
  const written = holder?.grants.find(
    (g) => g.role === grant.role && (grant.namespace === undefined || g.namespaces.includes(grant.namespace)),
  );
  if (!written || member === undefined)
    return (
      `remove the ${grant.role} grant from ${grant.holder.kind === 'token' ? 'AccessToken' : 'Team'} ` +
      `${grant.holder.name} in Git`
    );
  const where = grant.namespace !== undefined ? ` -n ${shellWord(grant.namespace)}` : '';
  const sel = written.clusters;
  const clusters =
    'names' in sel
      ? ` --clusters ${sel.names.join(',')}`
      : 'matchLabels' in sel
        ? ` -l ${Object.entries(sel.matchLabels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`
        : '';
  return `roster revoke ${member} ${grant.role}${where}${clusters} --team ${grant.holder.name}`;
}

/** Patterns would be expanded by a shell; quote them. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9._@:/-]+$/.test(word) ? word : `'${word}'`;
}

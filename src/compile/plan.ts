/**
 * The per-cluster plan: every (holder, role, namespace) assignment the active grants produce, merged, plus the
 * grants that produced nothing and why. Objects and access entries are both derived from it.
 */

import type { Cluster, Grant } from '../model/types.js';
import type { Subject } from '../resources/types.js';
import type { Holder, SkippedGrant } from './types.js';
import { expandNamespaces, type NamespaceIndex } from './namespaces.js';
import { lookupRole, type ResolvedRole, type RoleTable } from './roles.js';
import { formatSource, grantWindow, selectsCluster } from './select.js';

/** A team or token with its grants, as the compiler sees it. */
export interface HolderSpec {
  holder: Holder;
  grants: readonly Grant[];
  /** A token's expiry: caps every grant. */
  capExpires?: Date;
  /** Why none of its grants compile: its access review is overdue and the Settings say suspend. */
  reviewOverdue?: string;
  /** Set when a Suspension left the holder with no subjects at all: why its grants compile to nothing. */
  suspendedDetail?: string;
  subjectsOn: (cluster: Cluster) => Subject[];
  /** The Delegation covering the holder's file. */
  delegation?: string;
}

export interface Assignment {
  holder: Holder;
  role: ResolvedRole;
  namespace?: string;
  /** Set instead of `namespace` for a pattern left unexpanded offline: shown, never emitted. */
  pattern?: string;
  subjects: Subject[];
  /** Files of the merged grants (a plain array: nearly always one element). */
  sources: string[];
  /** Latest expiry of the merged grants; undefined once any of them never expires. */
  expires?: Date;
  neverExpires: boolean;
  delegation?: string;
}

export interface ClusterPlan {
  cluster: Cluster;
  /** Grouped by holder, in holder order; unsorted within a holder. */
  assignments: Assignment[];
  skipped: SkippedGrant[];
  /** Holders with at least one active grant on the cluster (tokens need their ServiceAccount there). */
  present: Holder[];
}

interface PlanContext {
  cluster: Cluster;
  roles: RoleTable;
  namespaces: NamespaceIndex;
  now: Date;
}

export function planCluster(ctx: PlanContext, holders: HolderSpec[]): ClusterPlan {
  const plan: ClusterPlan = { cluster: ctx.cluster, assignments: [], skipped: [], present: [] };
  for (const spec of holders) {
    let subjects: Subject[] | undefined;
    let present = false;
    const merged = new Map<string, Assignment>();
    for (const grant of spec.grants) {
      if (!selectsCluster(grant.clusters, ctx.cluster)) continue;
      if (spec.reviewOverdue !== undefined) {
        plan.skipped.push(skip(ctx, spec.holder, grant, 'review-overdue', spec.reviewOverdue));
        continue;
      }
      const window = grantWindow(grant, ctx.now, spec.capExpires);
      if (!window.active) {
        plan.skipped.push(skip(ctx, spec.holder, grant, window.reason, window.detail));
        continue;
      }
      present = true;
      subjects ??= spec.subjectsOn(ctx.cluster);
      addGrant(ctx, plan, { spec, grant, subjects, expires: window.expires, merged });
    }
    if (present) plan.present.push(spec.holder);
    for (const assignment of merged.values()) plan.assignments.push(assignment);
  }
  return plan;
}

interface ActiveGrant {
  spec: HolderSpec;
  grant: Grant;
  subjects: Subject[];
  expires?: Date;
  /** The holder's assignments so far, by role and namespace: grants repeating one merge into one binding. */
  merged: Map<string, Assignment>;
}

function addGrant(ctx: PlanContext, plan: ClusterPlan, active: ActiveGrant): void {
  const { spec, grant } = active;
  const role = lookupRole(ctx.roles, grant.role, `${spec.holder.kind} ${spec.holder.name} grant ${grant.index}`);
  if (active.subjects.length === 0) {
    const why = spec.suspendedDetail
      ? skip(ctx, spec.holder, grant, 'suspended', spec.suspendedDetail)
      : skip(ctx, spec.holder, grant, 'no-members', `${spec.holder.kind} ${spec.holder.name} has no members`);
    plan.skipped.push(why);
    return;
  }
  if (role.scope === 'cluster') return assign(active, role);
  const targets = expandNamespaces(grant.namespaces, ctx.namespaces);
  for (const namespace of targets.namespaces) assign(active, role, namespace);
  for (const pattern of targets.unexpanded) {
    assign(active, role, undefined, pattern);
    plan.skipped.push(
      skip(
        ctx,
        spec.holder,
        grant,
        'pattern-unexpanded',
        `pattern "${pattern}" expands only against a cluster's namespaces`,
        pattern,
      ),
    );
  }
  for (const ns of targets.missing) {
    plan.skipped.push(
      skip(
        ctx,
        spec.holder,
        grant,
        'namespace-missing',
        `namespace "${ns}" does not exist on cluster ${ctx.cluster.name}`,
        ns,
      ),
    );
  }
  for (const ns of targets.protectedHits) {
    plan.skipped.push(
      skip(
        ctx,
        spec.holder,
        grant,
        'protected-namespace',
        `namespace "${ns}" is protected (settings.protectedNamespaces)`,
        ns,
      ),
    );
  }
}

function assign(active: ActiveGrant, role: ResolvedRole, namespace?: string, pattern?: string): void {
  const key = pattern === undefined ? `${role.name}\0${namespace ?? ''}` : `${role.name}\0\0${pattern}`;
  let entry = active.merged.get(key);
  if (!entry) {
    entry = { holder: active.spec.holder, role, subjects: active.subjects, sources: [], neverExpires: false };
    if (namespace !== undefined) entry.namespace = namespace;
    if (pattern !== undefined) entry.pattern = pattern;
    if (active.spec.delegation !== undefined) entry.delegation = active.spec.delegation;
    active.merged.set(key, entry);
  }
  const file = active.grant.source.file;
  if (!entry.sources.includes(file)) entry.sources.push(file);
  if (!active.expires) entry.neverExpires = true;
  else if (!entry.expires || entry.expires.getTime() < active.expires.getTime()) entry.expires = active.expires;
}

function skip(
  ctx: PlanContext,
  holder: Holder,
  grant: Grant,
  reason: SkippedGrant['reason'],
  detail: string,
  namespace?: string,
): SkippedGrant {
  const where = namespace === undefined ? {} : { namespace };
  return {
    cluster: ctx.cluster.name,
    holder,
    role: grant.role,
    ...where,
    reason,
    detail,
    source: formatSource(grant.source),
  };
}

/** The effective expiry of a merged assignment. */
export function expiryOf(assignment: Assignment): Date | undefined {
  return assignment.neverExpires ? undefined : assignment.expires;
}

/**
 * The compiler: model + cluster facts + clock → desired state per cluster. Pure: no fs, no client, no clock, no env;
 * everything it needs arrives as arguments, so the same input always gives the same bytes.
 */

import { UsageError } from '../errors.js';
import { describeReview, reviewStatuses } from '../model/reviews.js';
import type { Model } from '../model/types.js';
import { compareObjects } from '../resources/key.js';
import type { ManagedObject, Subject } from '../resources/types.js';
import { delegationOfFile } from '../model/delegations.js';
import { accessEntries } from './access.js';
import { planDelegations } from './delegations.js';
import { byName, compareCodeUnits } from '../compare.js';
import { upcomingExpiries } from './expiry.js';
import { namespaceIndex } from './namespaces.js';
import { planObjects, type ObjectContext } from './objects.js';
import { planCluster, type ClusterPlan, type HolderSpec } from './plan.js';
import { resolveRoles, roleRulesOf, type RoleTable } from './roles.js';
import { teamSubjects, tokenSubjects } from './subjects.js';
import {
  activeMembers,
  describeSuspension,
  sortMembers,
  suspensionsAt,
  tokenSuspension,
  type Suspensions,
} from './suspended.js';
import type { AccessEntry, ClusterFacts, CompileResult, DesiredState, SkippedGrant } from './types.js';

export type { ClusterFacts, CompileResult, DesiredState } from './types.js';

/** Facts for compiling without a cluster: names only, so namespace patterns stay unexpanded. */
export function offlineFacts(clusters: readonly { name: string }[]): ClusterFacts[] {
  return clusters.map((c) => ({ name: c.name }));
}

export function compile(model: Model, facts: ClusterFacts[], now: Date): CompileResult {
  return compilerFor(model, now)(facts);
}

/**
 * `compile` in two steps: what does not depend on a cluster (roles, holders with their members, suspensions,
 * expiries) once, then the clusters of any facts. The engine compiles each cluster when its facts arrive, and did
 * that shared work once per cluster. `compilerFor(model, now)(facts)` is exactly `compile(model, facts, now)`.
 */
export function compilerFor(model: Model, now: Date): (facts: ClusterFacts[]) => CompileResult {
  const roles = resolveRoles(model);
  const suspensions = suspensionsAt(model, now);
  const holders = withReviewSuspensions(model, holderSpecs(model, suspensions), now);
  const objectContext: ObjectContext = {
    settings: model.settings,
    commit: model.commit,
    tokens: new Map(model.tokens.map((t) => [t.name, t])),
    suspendedTokens: new Map(
      suspensions.members.filter((m) => m.kind === 'AccessToken').map((m) => [m.name, m.suspension]),
    ),
  };
  const patterns = new Map<string, RegExp>();
  const shared = {
    roleRules: roleRulesOf(roles),
    expiries: upcomingExpiries(model, now),
    suspended: sortMembers(suspensions.members),
  };
  return (facts) => {
    const sortedFacts = byName(facts);
    const twice = sortedFacts.find((fact, i) => i > 0 && sortedFacts[i - 1]!.name === fact.name);
    if (twice) throw new UsageError(`cluster ${twice.name}: facts given twice`, { cluster: twice.name });
    const ctx = { roles, holders, objectContext, patterns, now };
    return { clusters: sortedFacts.map((fact) => compileCluster(model, fact, ctx)), ...shared };
  };
}

interface CompileContext {
  roles: RoleTable;
  holders: HolderSpec[];
  objectContext: ObjectContext;
  patterns: Map<string, RegExp>;
  now: Date;
}

function compileCluster(model: Model, fact: ClusterFacts, ctx: CompileContext): DesiredState {
  const cluster = model.clusters.find((c) => c.name === fact.name);
  if (!cluster)
    throw new UsageError(`cluster ${fact.name}: not declared in the config repository`, { cluster: fact.name });
  const namespaces = namespaceIndex(fact.namespaces, model.settings, ctx.patterns);
  const plan = planCluster({ cluster, roles: ctx.roles, namespaces, now: ctx.now }, ctx.holders);
  const delegated = planDelegations(model.delegations ?? [], cluster, namespaces, ctx.objectContext);
  const state = {
    cluster: cluster.name,
    instance: model.settings.instance,
    ...(delegated.delegates.length > 0 ? { delegates: delegated.delegates } : {}),
    objects: dedupe([...planObjects(plan, ctx.objectContext), ...delegated.objects].sort(compareObjects)),
  };
  return withLazyAccess(state, plan, plan.skipped.sort(compareSkipped));
}

/**
 * `access` (one entry per subject of every binding, ~4x the objects) is derived on first read and then kept:
 * apply and prune never read it, views do. It is an ordinary enumerable property to every reader (JSON, spread,
 * deepEqual), between `objects` and `skipped` as in the type.
 */
function withLazyAccess(
  state: Omit<DesiredState, 'access' | 'skipped'>,
  plan: ClusterPlan,
  skipped: SkippedGrant[],
): DesiredState {
  let access: AccessEntry[] | undefined;
  Object.defineProperty(state, 'access', {
    enumerable: true,
    configurable: true,
    get: () => (access ??= accessEntries(plan)),
    set: (entries: AccessEntry[]) => void (access = entries),
  });
  return Object.assign(state, { skipped }) as DesiredState;
}

/** The delegation namespace may also be the token namespace: one Namespace object, sources merged. */
function dedupe(sorted: ManagedObject[]): ManagedObject[] {
  return sorted.filter((obj, i) => i === 0 || compareObjects(sorted[i - 1]!, obj) !== 0);
}

/**
 * Teams and tokens in name order, so merged bindings and skipped lists never depend on input order. Suspended
 * members are taken out here, once, so every cluster's bindings leave them out.
 */
function holderSpecs(model: Model, suspensions: Suspensions): HolderSpec[] {
  const delegated = (file: string) => {
    const d = delegationOfFile(file, model.delegations);
    return d ? { delegation: d.name } : {};
  };
  const teams: HolderSpec[] = byName(model.teams).map((team) => {
    const before = suspensions.members.length;
    const members = activeMembers(team, suspensions);
    const spec: HolderSpec = {
      holder: { kind: 'team', name: team.name },
      grants: team.grants,
      subjectsOn: byPrefixes((cluster) => teamSubjects(members, cluster)),
      ...delegated(team.source.file),
    };
    const left = members.users.length + members.groups.length + members.serviceAccounts.length;
    if (left === 0 && suspensions.members.length > before)
      spec.suspendedDetail = `every member of team ${team.name} is suspended`;
    return spec;
  });
  const tokens: HolderSpec[] = byName(model.tokens).map((token) => {
    const suspension = tokenSuspension(token, suspensions);
    const spec: HolderSpec = {
      holder: { kind: 'token', name: token.name },
      grants: token.grants,
      capExpires: token.expires,
      subjectsOn: () => (suspension ? [] : tokenSubjects(token, model.settings)),
      ...delegated(token.source.file),
    };
    if (suspension) spec.suspendedDetail = `token ${token.name} is ${describeSuspension(suspension)}`;
    return spec;
  });
  return [...teams, ...tokens];
}

/** Settings review.onOverdue: suspend — an overdue holder keeps its entry but none of its grants compile. */
function withReviewSuspensions(model: Model, specs: HolderSpec[], now: Date): HolderSpec[] {
  if (model.settings.review?.onOverdue !== 'suspend') return specs;
  const suspended = new Map(
    reviewStatuses(model, now)
      .filter((s) => s.suspended)
      .map((s) => [
        `${s.kind}\0${s.name}`,
        `suspended: ${describeReview(s)}; run roster review attest ` +
          `${s.kind === 'token' ? `--token ${s.name}` : s.name}`,
      ]),
  );
  for (const spec of specs) {
    const why = suspended.get(`${spec.holder.kind}\0${spec.holder.name}`);
    if (why !== undefined) spec.reviewOverdue = why;
  }
  return specs;
}

/** Subjects depend on a cluster only through its prefixes: compute them once per distinct pair and share them. */
function byPrefixes(subjectsOn: HolderSpec['subjectsOn']): HolderSpec['subjectsOn'] {
  const cache = new Map<string, Subject[]>();
  return (cluster) => {
    const key = `${cluster.userPrefix}\0${cluster.groupPrefix}`;
    let subjects = cache.get(key);
    if (!subjects) cache.set(key, (subjects = subjectsOn(cluster)));
    return subjects;
  };
}

function compareSkipped(a: SkippedGrant, b: SkippedGrant): number {
  return (
    compareCodeUnits(a.holder.kind, b.holder.kind) ||
    compareCodeUnits(a.holder.name, b.holder.name) ||
    compareCodeUnits(a.role, b.role) ||
    compareCodeUnits(a.namespace ?? '', b.namespace ?? '') ||
    compareCodeUnits(a.reason, b.reason) ||
    compareCodeUnits(a.source, b.source) ||
    compareCodeUnits(a.detail, b.detail)
  );
}

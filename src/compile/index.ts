/**
 * The compiler: model + cluster facts + clock → desired state per cluster. Pure: no fs, no client, no clock, no env;
 * everything it needs arrives as arguments, so the same input always gives the same bytes.
 */

import { UsageError } from '../errors.js';
import type { Model } from '../model/types.js';
import { compareObjects } from '../resources/key.js';
import { accessEntries } from './access.js';
import { upcomingExpiries } from './expiry.js';
import { namespaceIndex } from './namespaces.js';
import { planObjects, type ObjectContext } from './objects.js';
import { planCluster, type HolderSpec } from './plan.js';
import { resolveRoles, roleRulesOf, type RoleTable } from './roles.js';
import { teamSubjects, tokenSubjects } from './subjects.js';
import type { ClusterFacts, CompileResult, DesiredState, SkippedGrant } from './types.js';
import { byName, cmp } from './compare.js';

export type { ClusterFacts, CompileResult, DesiredState } from './types.js';

export function compile(model: Model, facts: ClusterFacts[], now: Date): CompileResult {
  const roles = resolveRoles(model);
  const holders = holderSpecs(model);
  const objectContext: ObjectContext = { settings: model.settings, commit: model.commit, tokens: new Map(model.tokens.map((t) => [t.name, t])) };
  const sortedFacts = byName(facts);
  const patterns = new Map<string, RegExp>();
  return {
    clusters: sortedFacts.map((fact) => compileCluster(model, fact, { roles, holders, objectContext, patterns, now })),
    roleRules: roleRulesOf(roles),
    expiries: upcomingExpiries(model, now),
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
  if (!cluster) throw new UsageError(`cluster ${fact.name}: not declared in the config repository`, { cluster: fact.name });
  const namespaces = namespaceIndex(fact.namespaces, model.settings, ctx.patterns);
  const plan = planCluster({ cluster, roles: ctx.roles, namespaces, now: ctx.now }, ctx.holders);
  return {
    cluster: cluster.name,
    instance: model.settings.instance,
    objects: planObjects(plan, ctx.objectContext).sort(compareObjects),
    access: accessEntries(plan),
    skipped: plan.skipped.sort(compareSkipped),
  };
}

/** Teams and tokens in name order, so merged bindings and skipped lists never depend on input order. */
function holderSpecs(model: Model): HolderSpec[] {
  const teams: HolderSpec[] = byName(model.teams).map((team) => ({
    holder: { kind: 'team', name: team.name },
    grants: team.grants,
    subjectsOn: (cluster) => teamSubjects(team.members, cluster),
  }));
  const tokens: HolderSpec[] = byName(model.tokens).map((token) => ({
    holder: { kind: 'token', name: token.name },
    grants: token.grants,
    capExpires: token.expires,
    subjectsOn: () => tokenSubjects(token, model.settings),
  }));
  return [...teams, ...tokens];
}

function compareSkipped(a: SkippedGrant, b: SkippedGrant): number {
  return (
    cmp(a.holder.kind, b.holder.kind) ||
    cmp(a.holder.name, b.holder.name) ||
    cmp(a.role, b.role) ||
    cmp(a.namespace ?? '', b.namespace ?? '') ||
    cmp(a.reason, b.reason) ||
    cmp(a.source, b.source) ||
    cmp(a.detail, b.detail)
  );
}

/**
 * Kubernetes objects from a cluster plan, as plain data. Keys are written in one fixed order (apiVersion, kind,
 * metadata{name, namespace, labels, annotations}, then rules / roleRef / subjects) and label and annotation keys are
 * sorted, so the same plan always renders to the same bytes.
 */

import type { AccessToken, Settings } from '../model/types.js';
import {
  COMMIT_ANNOTATION,
  DELEGATION_LABEL,
  INSTANCE_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ROLE_LABEL,
  SOURCE_ANNOTATION,
  SUSPENDED_ANNOTATION,
  TEAM_LABEL,
  TOKEN_LABEL,
} from '../resources/labels.js';
import { bindingName, boundedLabelValue, roleObjectName } from '../resources/names.js';
import type { ManagedObject, ObjectMeta, RoleRef } from '../resources/types.js';
import type { Holder } from './types.js';
import type { Assignment, ClusterPlan } from './plan.js';
import type { ResolvedRole } from './roles.js';
import { copyRules } from './rules.js';

export interface ObjectContext {
  settings: Settings;
  commit?: string;
  tokens: ReadonlyMap<string, AccessToken>;
  /** Suspended tokens → the Suspension's name, written on their ServiceAccount (see SUSPENDED_ANNOTATION). */
  suspendedTokens: ReadonlyMap<string, string>;
}

export const RBAC_V1 = 'rbac.authorization.k8s.io/v1';

/** Every object a plan asks for, unsorted. */
export function planObjects(plan: ClusterPlan, ctx: ObjectContext): ManagedObject[] {
  const bound = plan.assignments.filter((a) => a.pattern === undefined);
  const roles = new Map(bound.map((a) => [a.role.name, a.role]));
  const tokens = plan.present.filter((h) => h.kind === 'token').map((h) => ctx.tokens.get(h.name)!);
  return [
    ...tokenObjects(tokens, ctx),
    ...[...roles.values()].map((role) => clusterRoleObject(role, ctx)),
    ...bound.map((a) => bindingObject(a, ctx)),
  ];
}

export function clusterRoleObject(role: ResolvedRole, ctx: ObjectContext): ManagedObject {
  return {
    apiVersion: RBAC_V1,
    kind: 'ClusterRole',
    metadata: metadata(ctx, {
      name: roleObjectName(role.name),
      labels: { [ROLE_LABEL]: role.name },
      sources: role.sources,
    }),
    rules: copyRules(role.rules),
  };
}

export function bindingObject(a: Assignment, ctx: ObjectContext): ManagedObject {
  // Built field by field: this runs for every binding of every cluster.
  const labels: Record<string, string> = { [a.holder.kind === 'team' ? TEAM_LABEL : TOKEN_LABEL]: a.holder.name };
  labels[ROLE_LABEL] = a.role.name;
  if (a.delegation !== undefined) labels[DELEGATION_LABEL] = a.delegation;
  const spec: MetaSpec = { name: bindingName(a.holder, a.role.name), labels, sources: a.sources };
  const roleRef: RoleRef = {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: roleObjectName(a.role.name),
  };
  const subjects = [...a.subjects];
  if (a.namespace === undefined) {
    return { apiVersion: RBAC_V1, kind: 'ClusterRoleBinding', metadata: metadata(ctx, spec), roleRef, subjects };
  }
  spec.namespace = a.namespace;
  const meta = metadata(ctx, spec) as ObjectMeta & { namespace: string };
  return { apiVersion: RBAC_V1, kind: 'RoleBinding', metadata: meta, roleRef, subjects };
}

/** The token namespace (once) and one ServiceAccount per token active on the cluster. */
export function tokenObjects(tokens: AccessToken[], ctx: ObjectContext): ManagedObject[] {
  if (tokens.length === 0) return [];
  const namespace = ctx.settings.tokenNamespace;
  const files = tokens.map((t) => t.source.file);
  const objects: ManagedObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: metadata(ctx, { name: namespace, labels: {}, sources: files }) },
  ];
  for (const token of tokens) {
    const labels = holderLabels({ kind: 'token', name: token.name });
    const meta = metadata(ctx, { name: token.name, namespace, labels, sources: [token.source.file] }) as ObjectMeta & {
      namespace: string;
    };
    const suspension = ctx.suspendedTokens.get(token.name);
    if (suspension !== undefined) meta.annotations = { ...meta.annotations, [SUSPENDED_ANNOTATION]: suspension };
    objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta });
  }
  return objects;
}

function holderLabels(holder: Holder): Record<string, string> {
  return { [holder.kind === 'team' ? TEAM_LABEL : TOKEN_LABEL]: holder.name };
}

/**
 * Labels in sorted key order. Most extra keys (role, team, token) sort after the two ownership labels; the
 * delegation keys (`roster.dev/delegat…`) sort between them. This runs for every binding, hence no generic
 * entries/sort/fromEntries.
 */
export function sortedLabels(instance: string, extra: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  const keys = Object.keys(extra);
  if (keys.length > 1) keys.sort();
  let instanceDone = false;
  for (const key of keys) {
    if (!instanceDone && key > INSTANCE_LABEL) {
      labels[INSTANCE_LABEL] = instance;
      instanceDone = true;
    }
    labels[key] = boundedLabelValue(extra[key]!);
  }
  if (!instanceDone) labels[INSTANCE_LABEL] = instance;
  return labels;
}

function sourceList(sources: readonly string[]): string {
  if (sources.length === 1) return sources[0]!;
  return [...new Set(sources)].sort().join(',');
}

export interface MetaSpec {
  name: string;
  namespace?: string;
  /** Besides the two ownership labels, which every object gets. */
  labels: Record<string, string>;
  sources: readonly string[];
}

export function metadata(ctx: ObjectContext, spec: MetaSpec): ObjectMeta {
  const meta: ObjectMeta =
    spec.namespace === undefined ? { name: spec.name } : { name: spec.name, namespace: spec.namespace };
  meta.labels = sortedLabels(ctx.settings.instance, spec.labels);
  const source = sourceList(spec.sources);
  // COMMIT_ANNOTATION sorts before SOURCE_ANNOTATION.
  if (ctx.commit && source) meta.annotations = { [COMMIT_ANNOTATION]: ctx.commit, [SOURCE_ANNOTATION]: source };
  else if (ctx.commit) meta.annotations = { [COMMIT_ANNOTATION]: ctx.commit };
  else if (source) meta.annotations = { [SOURCE_ANNOTATION]: source };
  return meta;
}

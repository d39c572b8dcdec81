/**
 * Policy rule normalisation. RBAC rules are sets: order inside a rule and between rules means nothing, so we sort
 * and merge them into a canonical form. That makes compiled ClusterRoles byte-identical whatever order roles and
 * `extends` were written in, and keeps them small.
 */

import { compareCodeUnits } from '../compare.js';
import type { PolicyRule } from '../model/types.js';

type ListField = 'apiGroups' | 'resources' | 'resourceNames' | 'nonResourceURLs' | 'verbs';
/** The order fields appear in compiled objects: what the rule targets, then what it allows. */
const FIELDS: readonly ListField[] = ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'];

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** A rule with fixed key order, sorted de-duplicated lists, empty lists dropped, and `*` absorbing other verbs. */
export function normalizeRule(rule: PolicyRule): PolicyRule {
  const out: Partial<Record<ListField, string[]>> = {};
  for (const field of FIELDS) {
    const values = rule[field];
    if (values && values.length > 0) out[field] = sortedUnique(values);
  }
  if (out.verbs?.includes('*')) out.verbs = ['*'];
  return { ...out, verbs: out.verbs ?? [] };
}

function keyWithout(rule: PolicyRule, skip: ListField): string {
  return JSON.stringify(FIELDS.map((f) => (f === skip ? null : (rule[f] ?? null))));
}

/** Merge rules equal in every field but `field`, taking the union of `field`. Exact for RBAC's union semantics. */
function mergeOn(rules: PolicyRule[], field: 'verbs' | 'resources'): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = keyWithout(rule, field);
    const seen = merged.get(key);
    if (!seen) merged.set(key, rule);
    else merged.set(key, normalizeRule({ ...seen, [field]: [...(seen[field] ?? []), ...(rule[field] ?? [])] }));
  }
  return [...merged.values()];
}

/**
 * The canonical rule list: normalised, verbs merged per target, then resources merged per (group, verbs),
 * sorted by content.
 */
export function canonicalRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const byTarget = mergeOn(rules.map(normalizeRule), 'verbs');
  const byVerbs = mergeOn(byTarget, 'resources');
  return byVerbs
    .map((rule) => ({ rule, sortKey: JSON.stringify(FIELDS.map((f) => rule[f] ?? null)) }))
    .sort((a, b) => compareCodeUnits(a.sortKey, b.sortKey))
    .map(({ rule }) => rule);
}

/** A deep copy, so objects handed to callers never share rule arrays. */
export function copyRules(rules: readonly PolicyRule[]): PolicyRule[] {
  return rules.map((rule) => {
    const copy: Partial<Record<ListField, string[]>> = {};
    for (const field of FIELDS) if (rule[field]) copy[field] = [...rule[field]];
    return copy as PolicyRule;
  });
}

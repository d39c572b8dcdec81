/**
 * Role resolution: every role, built-in or custom, flattened to one canonical rule list (its own rules plus, with
 * `extends`, all its ancestors' rules). Each used role becomes one ClusterRole `roster:<role>` per cluster.
 */

import { InvalidConfigError } from '../errors.js';
import { BUILTIN_ROLES } from '../model/builtins.js';
import type { CustomRole, Model, PolicyRule, RoleScope } from '../model/types.js';
import { canonicalRules, copyRules } from './rules.js';

export interface ResolvedRole {
  name: string;
  scope: RoleScope;
  rules: PolicyRule[];
  /** Config files the role and its ancestors were declared in; empty for built-ins. */
  sources: string[];
  builtin: boolean;
}

export type RoleTable = ReadonlyMap<string, ResolvedRole>;

/** Resolve every role of the model. Throws on an unknown parent or an `extends` cycle (validation reports both
 * first). */
export function resolveRoles(model: Model): RoleTable {
  const custom = new Map(model.roles.map((role) => [role.name, role]));
  const table = new Map<string, ResolvedRole>();
  for (const [name, role] of resolvedBuiltins()) {
    if (!custom.has(name)) table.set(name, role);
  }
  const resolving = new Set<string>();
  const resolve = (role: CustomRole): ResolvedRole => {
    const done = table.get(role.name);
    if (done) return done;
    if (resolving.has(role.name))
      throw new InvalidConfigError(`Role/${role.name}: extends cycle through ${[...resolving].join(' -> ')}`);
    resolving.add(role.name);
    const parents = role.extends.map((parent) => table.get(parent) ?? resolve(customParent(custom, role, parent)));
    resolving.delete(role.name);
    const resolved = flattenOnce(role, parents);
    table.set(role.name, resolved);
    return resolved;
  };
  for (const role of model.roles) resolve(role);
  return table;
}

/**
 * The built-in roles, resolved once per process: they are constants, and canonicalising their rules on every
 * compile was a visible share of `roster audit`, which compiles once per commit. Frozen, since every compile (of
 * any repository) shares them; outputs get copies of their rules anyway (copyRules).
 */
let builtins: ReadonlyMap<string, ResolvedRole> | undefined;
function resolvedBuiltins(): ReadonlyMap<string, ResolvedRole> {
  builtins ??= new Map(
    Object.entries(BUILTIN_ROLES).map(([name, role]) => {
      const resolved: ResolvedRole = {
        name,
        scope: role.scope,
        rules: canonicalRules(role.rules),
        sources: [],
        builtin: true,
      };
      return [name, deepFreeze(resolved)];
    }),
  );
  return builtins;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/**
 * A custom role resolves to the same rules as long as the role object and its resolved parents are the same
 * objects: model objects are never mutated, and validation hands out the same ones for an unchanged document
 * (audit compiles each commit's model). Keyed by the role object, so entries go when the model does.
 */
const flattened = new WeakMap<CustomRole, { parents: readonly ResolvedRole[]; resolved: ResolvedRole }>();
function flattenOnce(role: CustomRole, parents: ResolvedRole[]): ResolvedRole {
  const hit = flattened.get(role);
  if (hit && hit.parents.length === parents.length && hit.parents.every((p, i) => p === parents[i]))
    return hit.resolved;
  const resolved = flatten(role, parents);
  flattened.set(role, { parents, resolved });
  return resolved;
}

function customParent(custom: Map<string, CustomRole>, child: CustomRole, parent: string): CustomRole {
  const found = custom.get(parent);
  if (!found) throw new InvalidConfigError(`Role/${child.name}: extends unknown role "${parent}"`);
  return found;
}

function flatten(role: CustomRole, parents: ResolvedRole[]): ResolvedRole {
  const rules = canonicalRules([...parents.flatMap((p) => p.rules), ...role.rules]);
  const sources = [...new Set([role.source.file, ...parents.flatMap((p) => p.sources)])].sort();
  return { name: role.name, scope: role.scope, rules, sources, builtin: false };
}

export function lookupRole(table: RoleTable, name: string, where: string): ResolvedRole {
  const role = table.get(name);
  if (!role) throw new InvalidConfigError(`${where}: unknown role "${name}"`);
  return role;
}

/** The `roleRules` view of the table: every role, sorted by name, rules copied. */
export function roleRulesOf(table: RoleTable): Record<string, { scope: RoleScope; rules: PolicyRule[] }> {
  const out: Record<string, { scope: RoleScope; rules: PolicyRule[] }> = {};
  for (const name of [...table.keys()].sort()) {
    const role = table.get(name)!;
    out[name] = { scope: role.scope, rules: copyRules(role.rules) };
  }
  return out;
}

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

/** Resolve every role of the model. Throws on an unknown parent or an `extends` cycle (validation reports both first). */
export function resolveRoles(model: Model): RoleTable {
  const custom = new Map(model.roles.map((role) => [role.name, role]));
  const table = new Map<string, ResolvedRole>();
  for (const [name, role] of Object.entries(BUILTIN_ROLES)) {
    if (!custom.has(name)) table.set(name, { name, scope: role.scope, rules: canonicalRules(role.rules), sources: [], builtin: true });
  }
  const resolving = new Set<string>();
  const resolve = (role: CustomRole): ResolvedRole => {
    const done = table.get(role.name);
    if (done) return done;
    if (resolving.has(role.name)) throw new InvalidConfigError(`Role/${role.name}: extends cycle through ${[...resolving].join(' -> ')}`);
    resolving.add(role.name);
    const parents = role.extends.map((parent) => table.get(parent) ?? resolve(customParent(custom, role, parent)));
    resolving.delete(role.name);
    const resolved = flatten(role, parents);
    table.set(role.name, resolved);
    return resolved;
  };
  for (const role of model.roles) resolve(role);
  return table;
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

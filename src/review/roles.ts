/** Roles whose resolved rules changed (own rules or anything they extend), with everyone who holds them after. */

import { compareCodeUnits } from '../compare.js';
import type { CompileResult } from '../compile/types.js';
import type { Model } from '../model/types.js';
import { PRIVILEGED_BUILTINS } from '../validate/index.js';
import type { AccessIndex } from './holdings.js';
import { RiskCodes, type Person, type RoleChange } from './types.js';

export function roleChanges(
  before: Pick<CompileResult, 'roleRules'>,
  after: Pick<CompileResult, 'roleRules'>,
  model: Model,
  holders: AccessIndex,
): RoleChange[] {
  const changed = Object.keys(after.roleRules)
    .filter(
      (name) =>
        before.roleRules[name] && JSON.stringify(before.roleRules[name]) !== JSON.stringify(after.roleRules[name]),
    )
    .sort();
  return changed.map((role) => {
    const privileged = Boolean(model.roles.find((r) => r.name === role)?.privileged || PRIVILEGED_BUILTINS[role]);
    const risks = privileged
      ? [{ code: RiskCodes.guardrail, message: `${role} is privileged; its new rules reach everyone who holds it` }]
      : [];
    return { role, change: 'rules-changed', privileged, affected: affectedBy(role, holders), risks };
  });
}

function affectedBy(role: string, holders: AccessIndex): RoleChange['affected'] {
  const byPerson = new Map<string, { who: Person; clusters: Set<string> }>();
  for (const h of holders.values()) {
    if (h.role !== role) continue;
    const key = `${h.who.kind}:${h.who.name}`;
    const entry = byPerson.get(key) ?? (byPerson.set(key, { who: h.who, clusters: new Set() }), byPerson.get(key)!);
    entry.clusters.add(h.cluster);
  }
  return [...byPerson.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([, v]) => ({ who: v.who, clusters: [...v.clusters].sort() }));
}

/** What makes an access change risky, judged on the side that grants it. */

import type { Model } from '../model/types.js';
import { globToRegExp } from '../model/patterns.js';
import { PRIVILEGED_BUILTINS } from '../validate/index.js';
import { formatPerson } from './holdings.js';
import { RiskCodes, type AccessChange, type Risk } from './types.js';

const OWNER_ROLES = new Set(['owner', 'cluster-owner']);

export interface RiskContext {
  /** Risks of a change, given everything but its risks. */
  of(change: Omit<AccessChange, 'risks'>): Risk[];
}

/**
 * `heldBefore(person, role, cluster)` lists the namespaces and patterns the person held the role in before, to
 * tell a wider pattern from a new one; omit it to flag every new pattern alike.
 */
export function riskContext(
  model: Model,
  heldBefore?: (who: string, role: string, cluster: string) => string[],
): RiskContext {
  const roles = new Map(model.roles.map((r) => [r.name, r]));
  const ownerLike = (name: string, seen = new Set<string>()): boolean => {
    if (OWNER_ROLES.has(name)) return true;
    if (seen.has(name)) return false;
    seen.add(name);
    return roles.get(name)?.extends.some((parent) => ownerLike(parent, seen)) ?? false;
  };
  return {
    of(change) {
      if (change.change !== 'gains') return [];
      const risks: Risk[] = [];
      const custom = roles.get(change.role);
      if (custom?.privileged)
        risks.push({
          code: RiskCodes.guardrail,
          message: `${change.role} is marked privileged (it passes the guardrails only by saying so)`,
        });
      const builtin = PRIVILEGED_BUILTINS[change.role];
      if (builtin) risks.push({ code: RiskCodes.guardrail, message: builtin });
      if (!builtin && ownerLike(change.role))
        risks.push({
          code: RiskCodes.owner,
          message:
            change.scope === 'cluster'
              ? `${change.role} controls the whole cluster`
              : `${change.role} controls everything in the namespace, RBAC included`,
        });
      if (change.pattern && change.namespace) risks.push(patternRisk(change, heldBefore));
      return risks;
    },
  };
}

function patternRisk(
  change: Omit<AccessChange, 'risks'>,
  heldBefore: ((who: string, role: string, cluster: string) => string[]) | undefined,
): Risk {
  const pattern = change.namespace ?? '';
  const matcher = globToRegExp(pattern);
  const before = new Set(change.clusters.flatMap((c) => heldBefore?.(formatPerson(change.who), change.role, c) ?? []));
  const narrower = [...before].filter((place) => place !== pattern && matcher.test(place)).sort();
  if (narrower.length > 0)
    return { code: RiskCodes.namespacePattern, message: `widens ${narrower.join(', ')} to ${pattern}` };
  return { code: RiskCodes.namespacePattern, message: `pattern ${pattern} also covers namespaces created later` };
}

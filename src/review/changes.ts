/** Pairs of holdings (before, after) → access changes grouped across clusters, risky ones first. */

import { compareCodeUnits } from '../compare.js';
import type { RoleScope } from '../model/types.js';
import type { Holding } from './holdings.js';
import type { RiskContext } from './risks.js';
import type { AccessChange, ChangeKind } from './types.js';

export interface HoldingPair {
  before?: Holding;
  after?: Holding;
  /** Audit: the change came from a grant's time window, not from an edit. */
  byTime?: boolean;
}

export function groupChanges(pairs: Iterable<HoldingPair>, risks: RiskContext): AccessChange[] {
  const groups = new Map<string, { change: Omit<AccessChange, 'risks' | 'via'>; via: Set<string> }>();
  for (const { before, after, byTime } of pairs) {
    if (Boolean(before) === Boolean(after)) continue;
    const holding = (after ?? before) as Holding;
    const change: ChangeKind = after ? 'gains' : 'loses';
    const who = `${holding.who.kind}:${holding.who.name}`;
    const key = `${change}\0${who}\0${holding.role}\0${holding.namespace ?? '*'}\0${byTime ? 1 : 0}`;
    let group = groups.get(key);
    if (!group)
      groups.set(
        key,
        (group = { change: { ...base(change, holding), ...(byTime ? { byTime: true } : {}) }, via: new Set() }),
      );
    group.change.clusters.push(holding.cluster);
    for (const via of holding.via.keys()) group.via.add(via);
  }
  const changes = [...groups.values()].map(({ change, via }) => {
    const full = { ...change, clusters: [...new Set(change.clusters)].sort(), via: [...via].sort() };
    return { ...full, risks: risks.of(full) };
  });
  return changes.sort(compareChanges);
}

function base(change: ChangeKind, h: Holding): Omit<AccessChange, 'risks' | 'via'> {
  const scope: RoleScope = h.scope;
  const out: Omit<AccessChange, 'risks' | 'via' | 'clusters'> = { change, who: h.who, role: h.role, scope };
  if (h.namespace !== undefined) out.namespace = h.namespace;
  if (h.pattern) out.pattern = true;
  return { ...out, clusters: [] };
}

const SUBJECT_KIND_ORDER = ['user', 'group', 'serviceaccount', 'token'];

/** Risky first, then gains before losses, then by person, role and place: the same order on every run. */
export function compareChanges(a: AccessChange, b: AccessChange): number {
  return (
    Number(b.risks.length > 0) - Number(a.risks.length > 0) ||
    compareCodeUnits(a.change, b.change) ||
    SUBJECT_KIND_ORDER.indexOf(a.who.kind) - SUBJECT_KIND_ORDER.indexOf(b.who.kind) ||
    compareCodeUnits(a.who.name, b.who.name) ||
    compareCodeUnits(a.role, b.role) ||
    compareCodeUnits(a.namespace ?? '', b.namespace ?? '')
  );
}

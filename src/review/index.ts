/**
 * The review stage behind `roster diff`: two compiled versions of the config in, their access difference out.
 * Pure: the caller reads, validates and compiles both sides (offline facts, so patterns stay patterns).
 */

import type { CompileResult } from '../compile/types.js';
import type { Model } from '../model/types.js';
import { groupChanges, type HoldingPair } from './changes.js';
import { accessEnds, endsWithItsToken, expiryChanges } from './expiries.js';
import { formatPerson, indexAccess, type AccessIndex } from './holdings.js';
import { objectSummaries } from './objects.js';
import { riskContext } from './risks.js';
import { roleChanges } from './roles.js';
import { suspensionChanges } from './suspensions.js';
import { tokenChanges } from './tokens.js';
import type { AccessDiff } from './types.js';

export * from './types.js';
export {
  formatPerson,
  indexAccess,
  addEntry,
  removeEntry,
  addHolding,
  removeHolding,
  holdingOf,
  holderLabel,
  snapshotHolding,
  holdingKey,
  personOf,
  type AccessIndex,
  type Holding,
} from './holdings.js';
export { groupChanges, type HoldingPair } from './changes.js';
export { accessEnds, endsWithItsToken, expiryChanges, type AccessEnds } from './expiries.js';
export { riskContext } from './risks.js';
export { roleChanges } from './roles.js';
export { tokenChanges } from './tokens.js';
export { describeSuspensionChange, suspensionChanges } from './suspensions.js';

export interface Side {
  model: Model;
  result: CompileResult;
}

export function reviewChange(base: Side, head: Side): AccessDiff {
  const before = indexAccess(base.result.clusters, base.model);
  const after = indexAccess(head.result.clusters, head.model);
  const tokens = tokenChanges(base.model, head.model);
  return {
    access: groupChanges(pairs(before, after), riskContext(head.model, heldBy(before))),
    expiries: expiryChanges(
      { index: before, ends: accessEnds(base.result.clusters, base.model) },
      { index: after, ends: accessEnds(head.result.clusters, head.model) },
    ).filter((c) => !endsWithItsToken(c, tokens)),
    tokens,
    roles: roleChanges(base.result, head.result, head.model, after),
    objects: objectSummaries(base.result.clusters, head.result.clusters),
    suspensions: suspensionChanges(base.model, head.model),
  };
}

function* pairs(before: AccessIndex, after: AccessIndex): Generator<HoldingPair> {
  for (const [key, holding] of after) if (!before.has(key)) yield { after: holding };
  for (const [key, holding] of before) if (!after.has(key)) yield { before: holding };
}

/** person → role → cluster → places held, for telling a wider pattern from a new one. */
function heldBy(index: AccessIndex): (who: string, role: string, cluster: string) => string[] {
  const places = new Map<string, string[]>();
  for (const h of index.values()) {
    if (h.namespace === undefined) continue;
    const key = `${formatPerson(h.who)}\0${h.role}\0${h.cluster}`;
    (places.get(key) ?? (places.set(key, []), places.get(key)!)).push(h.namespace);
  }
  return (who, role, cluster) => places.get(`${who}\0${role}\0${cluster}`) ?? [];
}

/**
 * Desired against live, by ResourceKey, as pure data (gitops-engine pkg/sync/reconcile.go): a desired object with
 * no live twin is to be created, a live object with no desired twin is a prune candidate, a pair that differs in
 * the fields Roster owns is to be updated, or replaced when its immutable roleRef changed.
 * `live` holds only objects carrying Roster's ownership labels; objects of the same name without them are found
 * at apply time (the create is conditional) and reported as conflicts.
 */

import type { LiveObject } from '../cluster/types.js';
import { compareKeys, formatKey, keyOf, type ResourceKey } from '../resources/key.js';
import type { ManagedObject } from '../resources/types.js';
import { normalizePair, sameOwnedFields, type OwnedFields } from './normalize.js';

export const Verdict = {
  create: 'create',
  update: 'update',
  /** roleRef changed: bindings cannot be updated in place, see apply.ts and docs/reconcile.md. */
  replace: 'replace',
  unchanged: 'unchanged',
  prune: 'prune',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface Pair {
  key: ResourceKey;
  verdict: Verdict;
  desired?: ManagedObject;
  live?: LiveObject;
  /** The compared fields of each side, for diffs. */
  owned: { desired?: OwnedFields; live?: OwnedFields };
}

/** Every key present on either side, once, sorted by kind order, namespace, name. */
export function pairObjects(desired: readonly ManagedObject[], live: readonly LiveObject[]): Pair[] {
  const byKey = new Map<string, { key: ResourceKey; desired?: ManagedObject; live?: LiveObject }>();
  for (const obj of desired) byKey.set(formatKey(keyOf(obj)), { key: keyOf(obj), desired: obj });
  for (const obj of live) {
    const id = formatKey(keyOf(obj));
    const entry = byKey.get(id) ?? { key: keyOf(obj) };
    entry.live = obj;
    byKey.set(id, entry);
  }
  return [...byKey.values()].sort((a, b) => compareKeys(a.key, b.key)).map(({ key, desired: d, live: l }) => judge(key, d, l));
}

function judge(key: ResourceKey, desired: ManagedObject | undefined, live: LiveObject | undefined): Pair {
  const owned = normalizePair(desired, live);
  const pair: Pair = { key, verdict: verdictOf(owned), owned };
  if (desired) pair.desired = desired;
  if (live) pair.live = live;
  return pair;
}

function verdictOf(owned: { desired?: OwnedFields; live?: OwnedFields }): Verdict {
  if (!owned.live) return Verdict.create;
  if (!owned.desired) return Verdict.prune;
  if (sameOwnedFields(owned.desired, owned.live)) return Verdict.unchanged;
  return roleRefChanged(owned.desired, owned.live) ? Verdict.replace : Verdict.update;
}

function roleRefChanged(desired: OwnedFields, live: OwnedFields): boolean {
  return desired.roleRef !== undefined && JSON.stringify(desired.roleRef) !== JSON.stringify(live.roleRef);
}

export function pairsWith(pairs: readonly Pair[], ...verdicts: Verdict[]): Pair[] {
  return pairs.filter((p) => verdicts.includes(p.verdict));
}

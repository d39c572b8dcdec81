/**
 * Desired against live, by ResourceKey, as pure data (gitops-engine pkg/sync/reconcile.go): a desired object with
 * no live twin is to be created, a live object with no desired twin is a prune candidate, a pair that differs in
 * the fields Roster owns is to be updated, or replaced when its immutable roleRef changed.
 * `live` holds only objects carrying Roster's ownership labels; objects of the same name without them are found
 * at apply time (the create is conditional) and reported as conflicts.
 */

import type { LiveObject } from '../cluster/types.js';
import { compareKeys, formatKey, keyOf, sortIfNeeded, type ResourceKey } from '../resources/key.js';
import type { ManagedObject } from '../resources/types.js';
import { ownedEqual, sameRoleRef, sameSuspension } from './normalize.js';

export const Verdict = {
  create: 'create',
  update: 'update',
  /**
   * Deleted and created again: a binding whose immutable roleRef changed, or a token's ServiceAccount whose
   * suspension changed (a new ServiceAccount invalidates every token minted for the old one). See apply.ts.
   */
  replace: 'replace',
  unchanged: 'unchanged',
  prune: 'prune',
  /** Exists without Roster's labels, known without asking the cluster (namespaces, from the facts). Left alone. */
  foreign: 'foreign',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface Pair {
  key: ResourceKey;
  verdict: Verdict;
  desired?: ManagedObject;
  live?: LiveObject;
}

export interface PairOptions {
  /** Every namespace in the cluster (the facts): a desired Namespace that exists unmanaged is used as is. */
  namespaces?: ReadonlySet<string>;
}

/** Every key present on either side, once, sorted by kind order, namespace, name. */
export function pairObjects(
  desired: readonly ManagedObject[],
  live: readonly LiveObject[],
  opts: PairOptions = {},
): Pair[] {
  const byKey = new Map<string, { key: ResourceKey; desired?: ManagedObject; live?: LiveObject }>();
  for (const obj of desired) {
    const key = keyOf(obj);
    byKey.set(formatKey(key), { key, desired: obj });
  }
  for (const obj of live) {
    const key = keyOf(obj);
    const id = formatKey(key);
    const entry = byKey.get(id) ?? { key };
    entry.live = obj;
    byKey.set(id, entry);
  }
  // Desired objects come sorted from compile: unless some live object has no desired twin, this is only a check.
  const entries = sortIfNeeded([...byKey.values()], (a, b) => compareKeys(a.key, b.key));
  return entries.map(({ key, desired: d, live: l }) => judge(key, d, l, opts));
}

function judge(
  key: ResourceKey,
  desired: ManagedObject | undefined,
  live: LiveObject | undefined,
  opts: PairOptions,
): Pair {
  const foreign = !live && key.kind === 'Namespace' && opts.namespaces?.has(key.name) === true;
  const pair: Pair = { key, verdict: foreign ? Verdict.foreign : verdictOf(desired, live) };
  if (desired) pair.desired = desired;
  if (live) pair.live = live;
  return pair;
}

function verdictOf(desired: ManagedObject | undefined, live: LiveObject | undefined): Verdict {
  if (!live) return Verdict.create;
  if (!desired) return Verdict.prune;
  if (desired.kind === 'ServiceAccount' && !sameSuspension(desired, live)) return Verdict.replace;
  if (ownedEqual(desired, live)) return Verdict.unchanged;
  const roleRef = 'roleRef' in desired ? desired.roleRef : undefined;
  return roleRef && !sameRoleRef(roleRef, live.roleRef) ? Verdict.replace : Verdict.update;
}

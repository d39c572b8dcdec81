/**
 * Changes without writes: what `plan` says apply would do, and what `drift` says differs. Pure: both read the
 * pairs and the prune verdict only, so they can never disagree with apply about what is to be done.
 */

import { Action, type Change, type ChangeSet } from './changes.js';
import { diffOwned } from './diff.js';
import { Verdict, type Pair } from './pair.js';
import { pruneExemption, type PruneVerdict } from './prune-guard.js';

export interface ChangeOptions {
  reason?: string;
  /** Attach the owned-fields diff. */
  diff?: boolean;
}

export function changeOf(pair: Pair, action: Action, opts: ChangeOptions = {}): Change {
  const change: Change = { key: pair.key, action };
  if (opts.diff) change.diff = diffOwned(pair);
  if (opts.reason) change.reason = opts.reason;
  return change;
}

export const REPLACE_REASON = 'roleRef changed: the binding is replaced (roleRef is immutable)';
export const SUSPENSION_REASON =
  'suspension changed: the ServiceAccount is replaced, so every token minted for it stops working';

/** Why a pair is replaced rather than updated. */
export function replaceReason(pair: Pair): string {
  return pair.key.kind === 'ServiceAccount' ? SUSPENSION_REASON : REPLACE_REASON;
}
export const FOREIGN_NAMESPACE_REASON = 'namespace exists without Roster labels; used as is, never adopted or pruned';

/** What apply would do to each pair; prune candidates follow the same guard apply uses. */
export function planChanges(pairs: readonly Pair[], prune: PruneVerdict): ChangeSet {
  return pairs.map((pair) => {
    switch (pair.verdict) {
      case Verdict.create:
        return changeOf(pair, Action.created, { diff: true });
      case Verdict.update:
        return changeOf(pair, Action.updated, { diff: true });
      case Verdict.replace:
        return changeOf(pair, Action.updated, { diff: true, reason: replaceReason(pair) });
      case Verdict.foreign:
        return changeOf(pair, Action.skipped, { reason: FOREIGN_NAMESPACE_REASON });
      case Verdict.prune:
        return planPrune(pair, prune);
      default:
        return changeOf(pair, Action.unchanged);
    }
  });
}

function planPrune(pair: Pair, prune: PruneVerdict): Change {
  const exempt = pair.live ? pruneExemption(pair.live) : undefined;
  if (exempt) return changeOf(pair, Action.skipped, { reason: exempt });
  if (!prune.allowed) return changeOf(pair, Action.skipped, { diff: true, reason: prune.reason });
  return changeOf(pair, Action.pruned, { diff: true });
}

/** Detect-only: every difference between the cluster and Git is drift, whatever apply would do about it. */
export function driftChanges(pairs: readonly Pair[]): ChangeSet {
  return pairs.map((pair) => {
    switch (pair.verdict) {
      case Verdict.create:
        return changeOf(pair, Action.drifted, { diff: true, reason: 'missing from the cluster' });
      case Verdict.update:
      case Verdict.replace:
        return changeOf(pair, Action.drifted, { diff: true, reason: 'differs from Git' });
      case Verdict.prune: {
        const exempt = pair.live ? pruneExemption(pair.live) : undefined;
        if (exempt) return changeOf(pair, Action.skipped, { reason: `not in Git; ${exempt}` });
        return changeOf(pair, Action.drifted, { diff: true, reason: 'not in Git' });
      }
      case Verdict.foreign:
        return changeOf(pair, Action.skipped, { reason: FOREIGN_NAMESPACE_REASON });
      default:
        return changeOf(pair, Action.unchanged);
    }
  });
}

/**
 * The pure half of pruning: which live objects may go, and whether this run may prune at all. Safety lives here,
 * in the mechanism, so plan, apply and dry runs all decide the same way.
 */

import type { LiveObject } from '../cluster/types.js';
import type { Settings } from '../model/types.js';
import { formatKey } from '../resources/key.js';
import type { ScheduledRemoval } from './expiry.js';
import { Verdict, type Pair } from './pair.js';
import {
  INSTANCE_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  PRUNE_ANNOTATION,
  PRUNE_DISABLED,
} from '../resources/labels.js';

/** Why a live object is never pruned, whatever Git says; undefined when it may be. */
export function pruneExemption(live: Pick<LiveObject, 'kind' | 'metadata'>): string | undefined {
  if (live.kind === 'Namespace') return 'namespaces are never pruned';
  if (live.metadata.annotations?.[PRUNE_ANNOTATION] === PRUNE_DISABLED)
    return `opted out by annotation ${PRUNE_ANNOTATION}: ${PRUNE_DISABLED}`;
  return undefined;
}

/** Carries both ownership labels of this instance: the only objects Roster ever deletes. */
export function ownedBy(live: Pick<LiveObject, 'metadata'>, instance: string): boolean {
  const labels = live.metadata.labels ?? {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[INSTANCE_LABEL] === instance;
}

export interface PruneGuardInput {
  /** Objects this run would delete (exemptions already left out). */
  candidates: number;
  /** Of those, removals Git scheduled by an expiry (expiry.ts): they never count against the size guards. */
  scheduled?: number;
  /** Managed objects of this instance live in the cluster before the run. */
  managed: number;
  /** Objects the compiled desired state holds for the cluster. */
  desired: number;
  settings: Settings['prune'];
  /** `--force`: lifts the empty-desired-state and maxPercent guards, never the others. */
  force: boolean;
  /** Some write in this cluster failed or met a conflict in this run. */
  applyFailed: boolean;
}

export type PruneVerdict =
  | { allowed: true }
  /** `refused`: a safety guard stopped the run, which fails the cluster; otherwise pruning is only reported. */
  | { allowed: false; reason: string; refused: boolean };

export function pruneGuard(input: PruneGuardInput): PruneVerdict {
  if (input.candidates === 0) return { allowed: true };
  if (input.applyFailed) {
    return {
      allowed: false,
      refused: false,
      reason: 'not pruned: apply failed in this cluster; pruning waits for a clean apply',
    };
  }
  if (!input.settings.enabled)
    return { allowed: false, refused: false, reason: 'not pruned: prune.enabled is false in Settings' };
  const unscheduled = input.candidates - (input.scheduled ?? 0);
  if (input.force || unscheduled <= 0) return { allowed: true };
  if (input.desired === 0) {
    const reason =
      `refusing to prune: the desired state is empty but ${input.managed} managed object(s) exist; ` +
      `check the cluster selector and the instance, or pass --force`;
    return { allowed: false, refused: true, reason };
  }
  const percent = (unscheduled * 100) / Math.max(1, input.managed);
  if (percent > input.settings.maxPercent) {
    const reason =
      `refusing to prune ${unscheduled} of ${input.managed} managed objects (${formatPercent(percent)}% > ` +
      `prune.maxPercent ${input.settings.maxPercent}%); pass --force if that is intended`;
    return { allowed: false, refused: true, reason };
  }
  return { allowed: true };
}

/** The guard's refusal, when it refused (as opposed to allowing, or holding pruning back quietly). */
export function refusalOf(verdict: PruneVerdict): string | undefined {
  return !verdict.allowed && verdict.refused ? verdict.reason : undefined;
}

function formatPercent(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Prune candidates that may actually be deleted: not in Git, not exempt. */
export function deletableCandidates(pairs: readonly Pair[]): Pair[] {
  return pairs.filter(
    (p) => p.verdict === Verdict.prune && p.live !== undefined && pruneExemption(p.live) === undefined,
  );
}

export interface PruneDecisionInput {
  pairs: readonly Pair[];
  /** Live objects the apply stage already removed itself (replacement bridges); none for a plan. */
  removed?: ReadonlySet<string>;
  /** Removals an expiry scheduled (expiry.ts). */
  scheduled: ScheduledRemoval;
  guard: Omit<PruneGuardInput, 'candidates' | 'scheduled'>;
}

/**
 * The one prune decision `plan` and `apply` share: which objects would be deleted, and whether the guard lets this
 * run delete them. A plan asks it with `applyFailed: false`; apply with the outcome of its writes.
 */
export function decidePrune(input: PruneDecisionInput): { candidates: Pair[]; verdict: PruneVerdict } {
  const removed = input.removed ?? new Set<string>();
  const candidates = deletableCandidates(input.pairs).filter((p) => !removed.has(formatKey(p.key)));
  const scheduled = candidates.filter((p) => input.scheduled(p.live!)).length;
  return { candidates, verdict: pruneGuard({ ...input.guard, candidates: candidates.length, scheduled }) };
}

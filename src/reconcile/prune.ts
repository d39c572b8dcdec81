/**
 * The prune stage: delete what Roster owns in this cluster but Git no longer declares. Only called once the guard
 * (prune-guard.ts) allowed it. Each object is read again just before its delete, and the delete carries the uid and
 * resourceVersion of that read as preconditions, so an object whose labels or content changed in between, or that
 * was replaced by another of the same name, is never deleted. A failed delete leaves the object live and labelled:
 * the next run finds it again and retries (the survivor rule of kustomize-controller).
 */

import pLimit from 'p-limit';
import { isApiError } from '../cluster/errors.js';
import type { ClusterClient } from '../cluster/types.js';
import { KIND_ORDER } from '../resources/key.js';
import { Action, type Change } from './changes.js';
import { Verdict, type Pair } from './pair.js';
import { changeOf } from './preview.js';
import { ownWriters, type Writers } from './delegates.js';
import { decidePrune, ownedBy, pruneExemption, type PruneDecisionInput } from './prune-guard.js';

export interface PruneContext {
  client: ClusterClient;
  dryRun: boolean;
  instance: string;
  /** Deletes in flight at once in this cluster. */
  concurrency: number;
  /** Which identity deletes each object (delegated bindings: the delegation's). Default: `client` for all. */
  writers?: Writers;
}

/** Deletes in reverse kind order (bindings before the roles they reference); one change per candidate. */
export async function prunePairs(candidates: readonly Pair[], ctx: PruneContext): Promise<Change[]> {
  const limit = pLimit(ctx.concurrency);
  const byPair = new Map<Pair, Change>();
  for (const kind of [...KIND_ORDER].reverse()) {
    const group = candidates.filter((p) => p.key.kind === kind);
    const changes = await Promise.all(group.map((pair) => limit(() => pruneOne(pair, ctx))));
    group.forEach((pair, i) => byPair.set(pair, changes[i]!));
  }
  return candidates.map((p) => byPair.get(p)!);
}

async function pruneOne(pair: Pair, ctx: PruneContext): Promise<Change> {
  const writer = (ctx.writers ?? ownWriters(ctx.client)).forLive(pair.live!);
  const change = await pruneAs(pair, { ...ctx, client: writer.client });
  if (writer.user === undefined) return change;
  return { ...change, as: writer.user, ...(change.reason ? { reason: `as ${writer.user}: ${change.reason}` } : {}) };
}

async function pruneAs(pair: Pair, ctx: PruneContext): Promise<Change> {
  try {
    const current = await ctx.client.get(pair.key);
    const stale = current ? staleReason(pair, current, ctx.instance) : 'already gone';
    if (stale || !current) return changeOf(pair, Action.skipped, { reason: stale ?? 'already gone' });
    const preconditions = { uid: current.metadata.uid, resourceVersion: current.metadata.resourceVersion };
    const deleted = await ctx.client.delete(pair.key, { dryRun: ctx.dryRun, preconditions });
    return deleted
      ? changeOf(pair, Action.pruned, { diff: true })
      : changeOf(pair, Action.skipped, { reason: 'already gone' });
  } catch (err) {
    if (!isApiError(err) || err.unreachable) throw err;
    return changeOf(pair, Action.failed, { reason: `${err.detail}; kept, the next run retries` });
  }
}

/** Why the object read just now may no longer be pruned; undefined when it still may. */
function staleReason(pair: Pair, current: NonNullable<Pair['live']>, instance: string): string | undefined {
  if (current.metadata.uid !== pair.live!.metadata.uid)
    return 'replaced by another object since it was read; not pruned';
  if (!ownedBy(current, instance)) return 'Roster labels removed since it was read; not pruned';
  return pruneExemption(current);
}

export type PruneStageInput = PruneContext & PruneDecisionInput;

/** Exempt candidates reported, the guard consulted, then the deletes; `refusal` when a safety guard said no. */
export async function pruneStage(input: PruneStageInput): Promise<{ changes: Change[]; refusal?: string }> {
  const exempt = input.pairs
    .filter((p) => p.verdict === Verdict.prune && p.live && pruneExemption(p.live))
    .map((p) => changeOf(p, Action.skipped, { reason: pruneExemption(p.live!)! }));
  const { candidates, verdict } = decidePrune(input);
  if (!verdict.allowed) {
    const held = candidates.map((p) => changeOf(p, Action.skipped, { diff: true, reason: verdict.reason }));
    return verdict.refused
      ? { changes: [...exempt, ...held], refusal: verdict.reason }
      : { changes: [...exempt, ...held] };
  }
  return { changes: [...exempt, ...(await prunePairs(candidates, input))] };
}

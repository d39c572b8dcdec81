/** A cluster's status, derived from its changes; and the result for a cluster that could not be reconciled. */

import type { RequestCounts } from './changes.js';
import { ExitCode } from '../errors.js';
import { Action, CHANGE_ACTIONS, type ChangeSet, type ClusterResult, type RunResult } from './changes.js';

/** `failed` when a safety guard refused, or any object failed or met a conflict; the error says which. */
export function clusterStatus(changes: ChangeSet, refusal?: string): Pick<ClusterResult, 'status' | 'error'> {
  const failed = changes.filter((c) => c.action === Action.failed).length;
  const conflicts = changes.filter((c) => c.action === Action.conflict).length;
  const problems = [
    ...(refusal ? [refusal] : []),
    ...(failed ? [`${failed} object${failed === 1 ? '' : 's'} failed`] : []),
    ...(conflicts ? [`${conflicts} conflict${conflicts === 1 ? '' : 's'} with objects Roster does not own`] : []),
  ];
  return problems.length === 0 ? { status: 'ok' } : { status: 'failed', error: problems.join('; ') };
}

/** Unreachable, forbidden, timed out, or anything else that stopped the cluster's pipeline. */
export function failedCluster(name: string, err: unknown, requests: RequestCounts, durationMs: number): ClusterResult {
  const error = err instanceof Error ? err.message : String(err);
  return { name, status: 'failed', error, changes: [], requests, durationMs: Math.round(durationMs) };
}

/**
 * The exit code a run earns: 3 when any cluster failed; otherwise, for plan and drift, 1 when anything differs
 * (created, updated, drifted or pruned) and 0 when nothing does; apply exits 0.
 */
export function exitCodeOf(result: RunResult): ExitCode {
  if (result.clusters.some((c) => c.status === 'failed')) return ExitCode.clusterFailed;
  if (result.mode === 'apply') return ExitCode.ok;
  const differs = result.clusters.some((c) => c.changes.some((change) => CHANGE_ACTIONS.has(change.action)));
  return differs ? ExitCode.changes : ExitCode.ok;
}

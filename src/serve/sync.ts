/**
 * One `roster serve` run, as flat as the pipeline: fetch and validate the config, then (leader only) reconcile
 * every selected cluster through the engine, then record what happened in metrics and logs. A run never throws:
 * a bad commit or an unreachable cluster is logged, counted and retried on the next run.
 */
import type { LoadedConfig } from '../config/read.js';
import type { Cluster, Model } from '../model/types.js';
import {
  CHANGE_ACTIONS,
  PROBLEM_ACTIONS,
  countActions,
  type ClusterResult,
  type RunResult,
} from '../reconcile/changes.js';
import { errorFields, type Logger } from '../log.js';
import { reviewStatuses } from '../model/reviews.js';
import type { ServeMetrics } from './metrics.js';
import { accessBoundaries } from './schedule.js';

export interface ReconcileRequest {
  model: Model;
  clusters: Cluster[];
  /** `apply` corrects drift; `drift` (--detect-only) only reports it. */
  mode: 'apply' | 'drift';
  now: Date;
  /** Aborted when this replica loses the leader lease: no new write may start. */
  signal: AbortSignal;
}

/** Reconciles the clusters; one cluster's failure is a `failed` ClusterResult, never a throw. */
export type ReconcileClusters = (req: ReconcileRequest) => Promise<RunResult>;

export interface SyncDeps {
  /** source → load → validate; throws a RosterError when the config cannot be read or is invalid. */
  load(at: Date): Promise<LoadedConfig>;
  select(model: Model): Cluster[];
  reconcile: ReconcileClusters;
  metrics: ServeMetrics;
  log: Logger;
  now(): Date;
  detectOnly: boolean;
  /** Checked just before reconciling: a standby only fetches and validates. */
  isLeader(): boolean;
  signal(): AbortSignal;
}

/** What a run leaves behind for the next one and for /readyz. */
export interface SyncState {
  /** A fetch + validate has succeeded at least once. */
  loaded: boolean;
  commit?: string;
  /** Upcoming grant and token start/end times of the last valid config. */
  boundaries: Date[];
  /** Every cluster of the last reconcile converged (or, detect-only, was read). */
  lastReconcileOk?: boolean;
}

export async function syncOnce(deps: SyncDeps, state: SyncState, reasons: string[]): Promise<SyncState> {
  const at = deps.now();
  // source → load → validate
  let config: LoadedConfig;
  try {
    config = await deps.load(at);
  } catch (err) {
    deps.metrics.recordSourceError();
    deps.log.error({ err: errorFields(err), reasons }, 'config could not be read; keeping the last reconciled state');
    return state;
  }
  const commit = config.snapshot.commit;
  recordReviews(deps, config.model, at);
  const next: SyncState = { ...state, loaded: true, commit, boundaries: accessBoundaries(config.model, at) };
  if (commit !== state.commit)
    deps.log.info({ commit, previous: state.commit, label: config.snapshot.label }, 'config commit changed');
  if (!deps.isLeader()) {
    deps.log.debug({ reasons }, 'standby: config validated, reconcile left to the leader');
    return next;
  }
  if (skippable(reasons, state, commit)) return next;
  // compile → read live → diff → apply → prune, per cluster, inside the engine
  const clusters = deps.select(config.model);
  const mode = deps.detectOnly ? 'drift' : 'apply';
  const result = await deps.reconcile({ model: config.model, clusters, mode, now: at, signal: deps.signal() });
  record(deps, result, commit);
  return { ...next, lastReconcileOk: result.clusters.every(converged) };
}

/** A webhook for a commit already reconciled successfully changes nothing: the interval keeps correcting drift. */
function skippable(reasons: string[], state: SyncState, commit: string | undefined): boolean {
  return reasons.every((r) => r.startsWith('webhook')) && state.lastReconcileOk === true && commit === state.commit;
}

/**
 * Review state goes to /metrics on every run (none when the config turned reviews off), and holders whose grants
 * are suspended to the log as a warning.
 */
function recordReviews(deps: SyncDeps, model: LoadedConfig['model'], at: Date): void {
  if (!model.settings.review) return deps.metrics.recordReviews(undefined);
  const statuses = reviewStatuses(model, at, model.settings.expiryWarningDays);
  deps.metrics.recordReviews(statuses);
  const suspended = statuses.filter((s) => s.suspended).map((s) => `${s.kind} ${s.name}`);
  if (suspended.length > 0)
    deps.log.warn({ suspended }, 'access reviews overdue: these grants are suspended until roster review attest');
}

function record(deps: SyncDeps, result: RunResult, commit: string | undefined): void {
  // Wall-clock time for Prometheus, even when ROSTER_NOW pins the compile clock.
  const finishedAt = Date.now() / 1000;
  for (const cluster of result.clusters) {
    const actions = countActions([cluster]);
    const driftObjects = cluster.changes.filter((c) => CHANGE_ACTIONS.has(c.action)).length;
    deps.metrics.recordCluster({
      cluster: cluster.name,
      durationSeconds: cluster.durationMs / 1000,
      actions,
      driftObjects,
      ok: converged(cluster),
      finishedAt,
    });
    logCluster(deps.log, cluster, actions);
  }
  if (commit && result.clusters.some(converged)) deps.metrics.recordCommit(commit);
}

function converged(cluster: ClusterResult): boolean {
  return cluster.status === 'ok' && !cluster.changes.some((c) => PROBLEM_ACTIONS.has(c.action));
}

function logCluster(log: Logger, cluster: ClusterResult, actions: Record<string, number>): void {
  const counts = Object.fromEntries(Object.entries(actions).filter(([, n]) => n > 0));
  const problems = cluster.changes.filter((c) => PROBLEM_ACTIONS.has(c.action)).map((c) => c.reason ?? c.action);
  const fields = {
    cluster: cluster.name,
    status: cluster.status,
    counts,
    durationMs: cluster.durationMs,
    requests: cluster.requests,
  };
  if (cluster.status === 'failed') log.error({ ...fields, error: cluster.error }, 'cluster reconcile failed');
  else if (problems.length > 0) log.warn({ ...fields, problems }, 'cluster reconciled with problems');
  else log.info(fields, 'cluster reconciled');
}

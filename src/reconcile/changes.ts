/**
 * Results are data: a fixed action vocabulary, a change per object, a result per cluster. Reports only render
 * these, and exit codes are derived from them (fluxcd/pkg ssa/changeset.go).
 */

import { compareKeys, sortIfNeeded, type ResourceKey } from '../resources/key.js';

/** HTTP requests sent to one cluster, by Kubernetes verb (`list`, `get`, `create`, `patch`, `delete`); retries
 * included. */
export type RequestCounts = Record<string, number>;

export const Action = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  drifted: 'drifted',
  pruned: 'pruned',
  skipped: 'skipped',
  failed: 'failed',
  conflict: 'conflict',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

export interface Change {
  key: ResourceKey;
  action: Action;
  /** Unified diff of the fields Roster owns, live → desired. */
  diff?: string;
  /** Why: for skipped, failed, conflict and drifted objects, and for replaced bindings. */
  reason?: string;
  /** The user the write or delete was made as, when not Roster itself (a delegation's ServiceAccount). */
  as?: string;
}

export type ChangeSet = Change[];

/** plan: what apply would do; apply: what it did; drift: what differs, never writing. */
export type Mode = 'plan' | 'apply' | 'drift';

export interface ClusterResult {
  name: string;
  /** `failed`: the cluster could not be reconciled (unreachable, forbidden, refused by a safety guard). */
  status: 'ok' | 'failed';
  /** The cause, when failed: names the cluster or object first. */
  error?: string;
  /** Sorted by kind order, namespace, name; unchanged objects included. */
  changes: ChangeSet;
  requests: RequestCounts;
  durationMs: number;
}

export interface RunResult {
  mode: Mode;
  /** Writes went through the API server's dry run only. */
  dryRun: boolean;
  commit?: string;
  /** Sorted by cluster name. */
  clusters: ClusterResult[];
}

export function sortChanges(changes: ChangeSet): ChangeSet {
  return sortIfNeeded([...changes], (a, b) => compareKeys(a.key, b.key));
}

/** Count of each action across the clusters given; every action appears, zero or not. */
export function countActions(clusters: readonly ClusterResult[]): Record<Action, number> {
  const counts = Object.fromEntries(Object.values(Action).map((a) => [a, 0])) as Record<Action, number>;
  for (const cluster of clusters) for (const change of cluster.changes) counts[change.action] += 1;
  return counts;
}

/** Actions that mean "something differs or was done", as opposed to unchanged / skipped. */
export const CHANGE_ACTIONS: ReadonlySet<Action> = new Set([
  Action.created,
  Action.updated,
  Action.drifted,
  Action.pruned,
]);
/** Actions that mean "this object did not converge and needs a person". */
export const PROBLEM_ACTIONS: ReadonlySet<Action> = new Set([Action.failed, Action.conflict]);

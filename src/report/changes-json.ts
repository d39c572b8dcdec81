/**
 * A run as JSON for machines: the shape documented in docs/output.md, `version: 1`. Fields are only ever added
 * within a version; keys come out in a fixed order so the bytes are stable.
 */

import { compareCodeUnits } from '../compare.js';
import type { RequestCounts } from '../reconcile/changes.js';
import { countActions, type Action, type Change, type RunResult } from '../reconcile/changes.js';
import { exitCodeOf } from '../reconcile/status.js';
import { formatKey, type ResourceKey } from '../resources/key.js';
import type { SuspendedMember } from '../compile/types.js';
import { suspendedSubjects, type SuspendedSubject } from './suspensions.js';
import type { ReviewStatus } from '../model/reviews.js';
import { reviewJson } from './reviews.js';

export interface ChangeJson {
  key: ResourceKey;
  ref: string;
  action: Action;
  reason?: string;
  /** The user the write or delete was made as, when not Roster itself (a delegation's ServiceAccount). */
  as?: string;
  diff?: string;
}

export interface RunJson {
  version: 1;
  mode: RunResult['mode'];
  dryRun: boolean;
  commit?: string;
  clusters: Array<{
    name: string;
    status: 'ok' | 'failed';
    error?: string;
    changes: ChangeJson[];
    requests: RequestCounts;
    durationMs: number;
  }>;
  /** Who a Suspension in force leaves out of every binding on every cluster; the same list `plan --offline` gives. */
  suspended: SuspendedSubject[];
  /** Overdue and due-soon access reviews, as the text prints them; only when Settings ask for reviews. */
  reviews?: ReturnType<typeof reviewJson>[];
  summary: { clusters: number; failed: number; actions: Record<Action, number>; exitCode: number };
}

export interface RunJsonExtras {
  /** The compiled suspensions (`CompileResult.suspended`); none when absent. */
  suspended?: readonly SuspendedMember[];
  /** The pending (not `ok`) review states; absent when Settings ask for no reviews. */
  reviews?: readonly ReviewStatus[];
}

export function runJson(result: RunResult, extras: RunJsonExtras = {}): RunJson {
  return {
    version: 1,
    mode: result.mode,
    dryRun: result.dryRun,
    ...(result.commit ? { commit: result.commit } : {}),
    clusters: result.clusters.map((c) => ({
      name: c.name,
      status: c.status,
      ...(c.error ? { error: c.error } : {}),
      changes: c.changes.map(changeJson),
      requests: sortedCounts(c.requests),
      durationMs: c.durationMs,
    })),
    suspended: suspendedSubjects(extras.suspended ?? []),
    ...(extras.reviews ? { reviews: extras.reviews.map(reviewJson) } : {}),
    summary: {
      clusters: result.clusters.length,
      failed: result.clusters.filter((c) => c.status === 'failed').length,
      actions: countActions(result.clusters),
      exitCode: exitCodeOf(result),
    },
  };
}

export function renderRunJson(result: RunResult, extras: RunJsonExtras = {}): string {
  return `${JSON.stringify(runJson(result, extras), null, 2)}\n`;
}

function changeJson(change: Change): ChangeJson {
  const key: ResourceKey = {
    group: change.key.group,
    kind: change.key.kind,
    ...(change.key.namespace ? { namespace: change.key.namespace } : {}),
    name: change.key.name,
  };
  const out: ChangeJson = { key, ref: formatKey(change.key), action: change.action };
  if (change.reason) out.reason = change.reason;
  if (change.as) out.as = change.as;
  if (change.diff) out.diff = change.diff;
  return out;
}

function sortedCounts(counts: RequestCounts): RequestCounts {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => compareCodeUnits(a, b)));
}

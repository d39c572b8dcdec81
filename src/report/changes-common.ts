/** What every rendering of a run shares: one symbol per action, headings, the summary line. */

import { compareCodeUnits } from '../compare.js';
import { Action, countActions, type ClusterResult, type RunResult } from '../reconcile/changes.js';

/** The mark in front of each object line; fixed so people and scripts can grep for them. */
export const ACTION_SYMBOL: Record<Action, string> = {
  created: '+',
  updated: '~',
  pruned: '-',
  drifted: '!',
  failed: 'x',
  conflict: '=',
  skipped: '.',
  unchanged: ' ',
};

/** Order of actions in summaries. */
export const ACTION_ORDER: readonly Action[] = [
  Action.created,
  Action.updated,
  Action.pruned,
  Action.drifted,
  Action.conflict,
  Action.failed,
  Action.skipped,
  Action.unchanged,
];

export function heading(result: RunResult): string {
  const what = {
    plan: 'plan: what apply would do',
    apply: result.dryRun ? 'apply (server dry run: nothing was stored)' : 'apply',
    drift: 'drift: what differs between the clusters and Git',
  }[result.mode];
  return result.commit ? `${what} @ ${result.commit.slice(0, 12)}` : what;
}

/** `2 created, 1 pruned, 40 unchanged`; only actions that occur. */
export function actionSummary(clusters: readonly ClusterResult[]): string {
  const counts = countActions(clusters);
  const parts = ACTION_ORDER.filter((a) => counts[a] > 0).map((a) => `${counts[a]} ${a}`);
  return parts.length > 0 ? parts.join(', ') : 'no objects';
}

export function requestSummary(cluster: ClusterResult): string {
  const entries = Object.entries(cluster.requests).sort(([a], [b]) => compareCodeUnits(a, b));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return entries.length === 0
    ? '0 requests'
    : `${total} requests (${entries.map(([verb, n]) => `${verb} ${n}`).join(', ')})`;
}

export function runSummary(result: RunResult): string {
  const failed = result.clusters.filter((c) => c.status === 'failed').length;
  const clusters =
    `${result.clusters.length} cluster${result.clusters.length === 1 ? '' : 's'}` +
    `${failed ? ` (${failed} failed)` : ''}`;
  return `${clusters}: ${actionSummary(result.clusters)}`;
}

/**
 * Text for one cell of a markdown table (a pull-request comment): a `|` would end the cell, a line break the row,
 * and `<` / `>` would be read as HTML (a reviewer `Name <email>` vanishes).
 */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');
}

/**
 * A run as Markdown for a pull-request comment: a summary table, a table per cluster of what is not unchanged,
 * and the diffs folded in <details>. Diffs beyond a size budget are left out (GitHub caps comments at 65,536
 * characters) with a note saying how many.
 */

import type { Change, ClusterResult, RunResult } from '../reconcile/changes.js';
import { formatKey } from '../resources/key.js';
import type { SuspendedMember } from '../compile/types.js';
import { ACTION_ORDER, ACTION_SYMBOL, escapeCell, heading, runSummary } from './changes-common.js';
import type { ReviewStatus } from '../model/reviews.js';
import type { ReviewPolicy } from '../model/types.js';
import { renderReviewsMarkdown } from './reviews.js';
import { suspendedSubjects } from './suspensions.js';

export interface MarkdownOptions {
  /** Characters of diff text to include at most. Default 50,000. */
  diffBudget?: number;
  /** The compiled suspensions (`CompileResult.suspended`): a "Suspended" section when any is in force. */
  suspended?: readonly SuspendedMember[];
  /** The pending (not `ok`) reviews, when Settings ask for reviews: an "Access reviews" section. */
  reviews?: { statuses: readonly ReviewStatus[]; policy: ReviewPolicy; now: Date };
}

export function renderMarkdown(result: RunResult, opts: MarkdownOptions = {}): string {
  const budget = { left: opts.diffBudget ?? 50_000, omitted: 0 };
  const parts = [`### Roster ${heading(result)}`, '', summaryTable(result), '', `**${runSummary(result)}**`, ''];
  for (const cluster of result.clusters) parts.push(clusterSection(cluster, budget));
  if (budget.omitted > 0)
    parts.push(
      `_${budget.omitted} diff(s) left out to fit a comment; run \`roster ${result.mode}\` locally to see them._`,
      '',
    );
  const suspended = renderSuspendedMarkdown(opts.suspended ?? []);
  if (suspended) parts.push(suspended);
  if (opts.reviews) parts.push(renderReviewsMarkdown(opts.reviews.statuses, opts.reviews.policy, opts.reviews.now));
  return `${parts.join('\n')}`;
}

/** Who a Suspension leaves out of every binding: the same subjects, in the same order, as the text and JSON. */
export function renderSuspendedMarkdown(members: readonly SuspendedMember[]): string | undefined {
  const subjects = suspendedSubjects(members);
  if (subjects.length === 0) return undefined;
  const lines = [
    `#### Suspended (${subjects.length})`,
    '',
    'Left out of every binding on every cluster, whatever grants them:',
    '',
    '| subject | suspension | until | reason | left out of | where |',
    '|---|---|---|---|---|---|',
  ];
  for (const s of subjects) {
    const cells = [
      `${s.kind} \`${s.name}\``,
      `\`${s.suspension}\``,
      s.until ?? '—',
      escapeCell(s.reason),
      escapeCell(s.holders.join(', ')),
      `\`${s.source}\``,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return [...lines, ''].join('\n');
}

function summaryTable(result: RunResult): string {
  const actions = ACTION_ORDER;
  const header = `| cluster | status | ${actions.join(' | ')} |\n|---|---|${actions.map(() => '---:').join('|')}|`;
  const rows = result.clusters.map((c) => {
    const counts = actions.map((a) => c.changes.filter((ch) => ch.action === a).length);
    const status = c.status === 'failed' ? '❌ failed' : '✅ ok';
    return `| \`${c.name}\` | ${status} | ${counts.join(' | ')} |`;
  });
  return [header, ...rows].join('\n');
}

function clusterSection(cluster: ClusterResult, budget: { left: number; omitted: number }): string {
  const lines = [`#### \`${cluster.name}\``, ''];
  if (cluster.error) lines.push(`> **failed:** ${escapeCell(cluster.error)}`, '');
  const shown = cluster.changes.filter((c) => c.action !== 'unchanged');
  if (shown.length === 0) return [...lines, '_nothing to do_', ''].join('\n');
  lines.push('| | object | action | note |', '|---|---|---|---|');
  for (const change of shown) lines.push(row(change));
  const diffs = shown.filter((c) => c.diff).map((c) => c.diff!);
  const kept = diffs.filter((d) => (budget.left -= d.length) >= 0);
  budget.omitted += diffs.length - kept.length;
  if (kept.length > 0) {
    lines.push(
      '',
      `<details><summary>diffs (${kept.length})</summary>`,
      '',
      '```diff',
      ...kept.map((d) => d.trimEnd()),
      '```',
      '',
      '</details>',
    );
  }
  return [...lines, ''].join('\n');
}

function row(change: Change): string {
  return (
    `| \`${ACTION_SYMBOL[change.action]}\` | \`${formatKey(change.key)}\` | ${change.action} | ` +
    `${escapeCell(change.reason ?? '')} |`
  );
}

/**
 * A run as human text: per cluster one line per object that is not unchanged (`+ created  Kind/namespace/name`),
 * then the diffs, then a summary. Colour only when asked (the CLI asks on a TTY without NO_COLOR).
 */

import pc from 'picocolors';
import type { Action, Change, ClusterResult, RunResult } from '../reconcile/changes.js';
import { formatKey } from '../resources/key.js';
import { ACTION_SYMBOL, actionSummary, heading, requestSummary, runSummary } from './changes-common.js';

export interface TextOptions {
  color: boolean;
  /** Print diffs after each cluster's lines. Default true. */
  diffs?: boolean;
  /** Print the whole manifest of created objects as a diff too. Default: yes for plan and drift, no for apply
   * (after the fact, a list of what was created reads better; `roster build` shows the manifests). */
  createdDiffs?: boolean;
}

type Paint = (text: string) => string;

function painter(color: boolean) {
  const c = pc.createColors(color);
  const byAction: Record<Action, Paint> = {
    created: c.green,
    updated: c.yellow,
    pruned: c.red,
    drifted: c.magenta,
    failed: (t) => c.bold(c.red(t)),
    conflict: (t) => c.bold(c.yellow(t)),
    skipped: c.dim,
    unchanged: (t) => t,
  };
  return { c, byAction };
}

export function renderText(result: RunResult, opts: TextOptions): string {
  const paint = painter(opts.color);
  const sections = result.clusters.map((cluster) => clusterSection(cluster, opts, paint));
  return (
    `${paint.c.bold(heading(result))}\n\n${sections.join('\n')}\n` +
    `${paint.c.bold('summary')}: ${runSummary(result)}\n`
  );
}

function clusterSection(cluster: ClusterResult, opts: TextOptions, paint: ReturnType<typeof painter>): string {
  const { c } = paint;
  const status =
    cluster.status === 'failed' ? c.red(`failed: ${cluster.error ?? 'unknown error'}`) : actionSummary([cluster]);
  const lines = [
    `${c.bold(`cluster ${cluster.name}`)}: ${status}  ` +
      `${c.dim(`[${requestSummary(cluster)}, ${cluster.durationMs} ms]`)}`,
  ];
  const shown = cluster.changes.filter((ch) => ch.action !== 'unchanged');
  for (const change of shown) lines.push(paint.byAction[change.action](objectLine(change)));
  if (opts.diffs !== false) {
    const createdToo = opts.createdDiffs ?? true;
    for (const change of shown) {
      if (change.diff && (createdToo || change.action !== 'created'))
        lines.push('', colorDiff(change.diff, c).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `  + created    RoleBinding/payments/roster:team:payments:editor: reason`; a write made as a delegation's
 * ServiceAccount says so (its reason, when there is one, already starts with `as <user>:`).
 */
export function objectLine(change: Change): string {
  const reason = change.reason ? `: ${change.reason}` : change.as ? ` (as ${change.as})` : '';
  return `  ${ACTION_SYMBOL[change.action]} ${change.action.padEnd(9)} ${formatKey(change.key)}${reason}`;
}

function colorDiff(diff: string, c: ReturnType<typeof pc.createColors>): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
      if (line.startsWith('@@')) return c.cyan(line);
      if (line.startsWith('+')) return c.green(line);
      if (line.startsWith('-')) return c.red(line);
      return line;
    })
    .join('\n');
}

/** One stderr line per finished cluster, for long runs on a terminal. */
export function progressLine(cluster: ClusterResult): string {
  const outcome = cluster.status === 'failed' ? 'failed' : actionSummary([cluster]);
  return `roster: cluster ${cluster.name} done in ${cluster.durationMs} ms: ${outcome}\n`;
}

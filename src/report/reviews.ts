/** Access review state as text and JSON: `roster review`, and the review lines of `plan` and `validate`. */

import type { ReviewStatus } from '../model/reviews.js';
import type { ReviewPolicy } from '../model/types.js';
import { formatTime } from '../time.js';
import { formatDuration } from '../time.js';
import { compareCodeUnits } from '../compare.js';
import { escapeCell } from './changes-common.js';

const MARK = { overdue: '✗', 'due-soon': '!', ok: '✓' } as const;

export function renderReviewsText(statuses: ReviewStatus[], policy: ReviewPolicy, now: Date): string {
  const head =
    `Access reviews as of ${formatTime(now)} (every ${formatDuration(policy.everySeconds)}, privileged ` +
    `${formatDuration(policy.privilegedSeconds)}, onOverdue: ${policy.onOverdue})`;
  if (statuses.length === 0) return `${head}\n  nothing is due\n`;
  const lines = [head];
  for (const [owner, list] of byOwner(statuses)) {
    lines.push(`owner ${owner}:`);
    for (const s of list) lines.push(`  ${MARK[s.state]} ${`${s.kind} ${s.name}`.padEnd(28)} ${reviewLine(s, now)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `overdue since 2026-01-01T00:00:00Z (31 days), last by Ada <ada@example.com>; suspended` */
export function reviewLine(s: ReviewStatus, now: Date): string {
  const last = s.reviewed ? `last ${formatTime(s.reviewed.at)} by ${s.reviewed.by}` : 'never reviewed';
  const days = s.due ? Math.ceil(Math.abs(s.due.getTime() - now.getTime()) / 86_400_000) : 0;
  const when =
    s.state === 'overdue'
      ? s.due
        ? `overdue since ${formatTime(s.due)} (${days} days)`
        : 'overdue'
      : `due ${formatTime(s.due!)} (in ${days} days)`;
  return `${when}, ${last}${s.privileged ? ', privileged' : ''}${s.suspended ? '; SUSPENDED until reviewed' : ''}`;
}

export function renderReviewsJson(statuses: ReviewStatus[], policy: ReviewPolicy, now: Date): string {
  const body = {
    version: 'roster.dev/reviews/v1',
    now: formatTime(now),
    policy: {
      every: formatDuration(policy.everySeconds),
      privileged: formatDuration(policy.privilegedSeconds),
      onOverdue: policy.onOverdue,
    },
    overdue: statuses.filter((s) => s.state === 'overdue').length,
    reviews: statuses.map(reviewJson),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * The pending reviews as a section of `plan -o markdown` (a pull-request comment): the same holders, in the same
 * order, as the text's per-owner list and `-o json`'s `reviews`; says so when nothing is due, since a reviewer of the
 * comment should see that reviews are on.
 */
export function renderReviewsMarkdown(statuses: readonly ReviewStatus[], policy: ReviewPolicy, now: Date): string {
  const head = [
    `#### Access reviews (${statuses.length} pending)`,
    '',
    `Every ${formatDuration(policy.everySeconds)}, privileged ${formatDuration(policy.privilegedSeconds)}; ` +
      `overdue reviews ${policy.onOverdue === 'suspend' ? '**suspend** the holder’s grants' : 'warn'} ` +
      `(\`roster review attest NAME\` records one).`,
    '',
  ];
  if (statuses.length === 0) return [...head, '_nothing is due_', ''].join('\n');
  const lines = [...head, '| | holder | owner | state | due | last review | access |', '|---|---|---|---|---|---|---|'];
  for (const [owner, list] of byOwner([...statuses])) {
    for (const s of list) {
      const cells = [
        `\`${MARK[s.state]}\``,
        `${s.kind} \`${s.name}\``,
        `\`${owner}\``,
        s.state + (s.privileged ? ' (privileged)' : ''),
        dueCell(s, now),
        s.reviewed ? `${formatTime(s.reviewed.at)} by ${escapeCell(s.reviewed.by)}` : 'never',
        s.suspended ? '**suspended until reviewed**' : 'kept',
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    }
  }
  return [...lines, ''].join('\n');
}

function dueCell(s: ReviewStatus, now: Date): string {
  if (!s.due) return '—';
  const days = Math.ceil(Math.abs(s.due.getTime() - now.getTime()) / 86_400_000);
  return `${formatTime(s.due)} (${s.state === 'overdue' ? `${days} days ago` : `in ${days} days`})`;
}

/** One review state as `roster review -o json` and `plan -o json` give it. */
export function reviewJson(s: ReviewStatus) {
  return {
    kind: s.kind,
    name: s.name,
    owner: s.owner,
    state: s.state,
    privileged: s.privileged,
    suspended: s.suspended,
    ...(s.due ? { due: formatTime(s.due) } : {}),
    ...(s.reviewed ? { lastReviewed: formatTime(s.reviewed.at), reviewer: s.reviewed.by } : {}),
  };
}

function byOwner(statuses: ReviewStatus[]): Map<string, ReviewStatus[]> {
  const owners = new Map<string, ReviewStatus[]>();
  for (const s of [...statuses].sort((a, b) => compareCodeUnits(a.owner, b.owner))) {
    const list = owners.get(s.owner) ?? [];
    list.push(s);
    owners.set(s.owner, list);
  }
  return owners;
}

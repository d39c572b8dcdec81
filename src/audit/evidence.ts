/**
 * `roster audit --evidence`: for each subject and each grant they held, when it was granted (commit, author, the
 * `Roster-Reason` trailer), its expiry, every review of the team or token that gave it (`roster review attest`
 * commits: `Roster-Reviewed-by` trailer) and when and how it ended. Built from the same timeline as `roster audit`,
 * so every date is a commit's (or, for an expiry, the commit date at which the clock had passed it). Deterministic.
 */

import type { GitSource } from '../git/index.js';
import type { AccessChange, ExpiryChange } from '../review/index.js';
import { compareCodeUnits } from '../compare.js';
import { formatTime } from '../time.js';
import { firstParentHistory } from './history.js';
import { auditTimeline, trailersOf, type AuditEvent } from './timeline.js';

export interface EvidenceReview {
  at: string;
  by: string;
  commit: string;
}

/** A commit that moved the end of access already held: extended, shortened, made permanent or temporary. */
export interface EvidenceExpiryChange {
  at: string;
  commit: string;
  by: string;
  change: ExpiryChange['change'];
  /** RFC 3339; absent: it did not expire before. */
  before?: string;
  /** RFC 3339; absent: it does not expire any more. */
  after?: string;
  reason?: string;
}

export interface EvidenceRow {
  subjectKind: AccessChange['who']['kind'];
  subject: string;
  /** `team payments`, `token ci-deployer` (several when more than one holder gave it at once). */
  via: string[];
  role: string;
  /** Namespace or pattern; absent for cluster-wide access. */
  namespace?: string;
  pattern?: true;
  cluster: string;
  grantedAt: string;
  grantedCommit: string;
  grantedBy: string;
  /** The grant started by the clock (its notBefore), not by the commit that carried it. */
  grantedByTime?: true;
  reason?: string;
  expires?: string;
  reviews: EvidenceReview[];
  endedAt?: string;
  endedCommit?: string;
  endedBy?: string;
  endedHow?: 'removed' | 'expired';
  /** JSON only (CSV keeps the current end in `expires`): each commit that moved the end, oldest first. */
  expiryChanges?: EvidenceExpiryChange[];
}

export interface EvidenceOptions {
  /** Only grants still held at or after this date. */
  since?: Date;
  /** When each grant still held ends, from the config at head (key: evidenceKey). */
  expiries?: Map<string, string>;
}

export interface Evidence {
  rows: EvidenceRow[];
  commits: number;
  truncated: boolean;
}

export function evidenceKey(who: { kind: string; name: string }, role: string, namespace: string, cluster: string) {
  return [who.kind, who.name, role, namespace, cluster].join('\0');
}

export async function auditEvidence(
  git: GitSource,
  head: string,
  subdir: string,
  opts: EvidenceOptions = {},
): Promise<Evidence> {
  const timeline = await auditTimeline(git, head, subdir);
  const reviews = await reviewCommits(git, head, subdir);
  const open = new Map<string, EvidenceRow>();
  const rows: EvidenceRow[] = [];
  for (const event of timeline.events) {
    for (const change of event.access)
      for (const cluster of change.clusters) {
        const key = evidenceKey(change.who, change.role, change.namespace ?? '', cluster);
        if (change.change === 'gains' && !open.has(key)) open.set(key, opened(event, change, cluster));
        if (change.change !== 'loses') continue;
        const row = open.get(key);
        if (!row) continue;
        open.delete(key);
        rows.push(closed(row, event, change));
      }
    for (const change of event.expiries)
      for (const cluster of change.clusters) {
        const row = open.get(evidenceKey(change.who, change.role, change.namespace ?? '', cluster));
        if (row) (row.expiryChanges ??= []).push(moved(event, change));
      }
  }
  for (const [key, row] of open) {
    const expires = opts.expiries?.get(key);
    rows.push(expires ? withExpiry(row, expires) : row);
  }
  const since = opts.since ? opts.since.getTime() : -Infinity;
  const kept = rows
    .filter((r) => r.endedAt === undefined || Date.parse(r.endedAt) >= since)
    .map(({ expiryChanges, ...row }) => ({
      ...row,
      reviews: reviewsOf(row, reviews),
      // Last in every JSON row, after the fields that are CSV columns.
      ...(expiryChanges ? { expiryChanges } : {}),
    }));
  return { rows: kept.sort(compareRows), commits: timeline.commits, truncated: timeline.truncated };
}

function opened(event: AuditEvent, change: AccessChange, cluster: string): EvidenceRow {
  const reason = event.trailers?.['Roster-Reason'];
  return {
    subjectKind: change.who.kind,
    subject: change.who.name,
    via: change.via,
    role: change.role,
    ...(change.namespace !== undefined ? { namespace: change.namespace } : {}),
    ...(change.pattern ? { pattern: true as const } : {}),
    cluster,
    grantedAt: event.date,
    grantedCommit: event.commit,
    grantedBy: `${event.author.name} <${event.author.email}>`,
    ...(change.byTime ? { grantedByTime: true as const } : {}),
    ...(reason ? { reason } : {}),
    reviews: [],
  };
}

function moved(event: AuditEvent, change: ExpiryChange): EvidenceExpiryChange {
  const reason = event.trailers?.['Roster-Reason'];
  return {
    at: event.date,
    commit: event.commit,
    by: `${event.author.name} <${event.author.email}>`,
    change: change.change,
    ...(change.before !== undefined ? { before: change.before } : {}),
    ...(change.after !== undefined ? { after: change.after } : {}),
    ...(reason ? { reason } : {}),
  };
}

function closed(row: EvidenceRow, event: AuditEvent, change: AccessChange): EvidenceRow {
  if (change.byTime) return { ...row, endedAt: event.date, endedCommit: event.commit, endedHow: 'expired' };
  return {
    ...row,
    endedAt: event.date,
    endedCommit: event.commit,
    endedBy: `${event.author.name} <${event.author.email}>`,
    endedHow: 'removed',
  };
}

/** `expires` before `reviews`, so every JSON row reads in the order of the CSV columns. */
function withExpiry(row: EvidenceRow, expires: string): EvidenceRow {
  const { reviews, ...rest } = row;
  return { ...rest, expires, reviews };
}

/** `roster review attest` commits, by holder (`team payments`), oldest first. */
async function reviewCommits(git: GitSource, head: string, subdir: string): Promise<Map<string, EvidenceReview[]>> {
  const { steps } = await firstParentHistory(git, head, subdir);
  const byHolder = new Map<string, EvidenceReview[]>();
  for (const { commit } of steps) {
    const by = trailersOf(commit.message).trailers?.['Roster-Reviewed-by'];
    const holder = /^Review (team|token) (\S+?):?\s/.exec(commit.message)?.slice(1, 3).join(' ');
    if (!by || !holder) continue;
    const list = byHolder.get(holder) ?? [];
    list.push({ at: formatTime(commit.committer.date), by, commit: commit.oid });
    byHolder.set(holder, list);
  }
  return byHolder;
}

/** Reviews of any holder the access came through, while it was held. */
function reviewsOf(row: EvidenceRow, reviews: Map<string, EvidenceReview[]>): EvidenceReview[] {
  const from = Date.parse(row.grantedAt);
  const to = row.endedAt ? Date.parse(row.endedAt) : Infinity;
  return row.via
    .flatMap((holder) => reviews.get(holder) ?? [])
    .filter((r) => Date.parse(r.at) >= from && Date.parse(r.at) <= to)
    .sort((a, b) => compareCodeUnits(a.at, b.at) || compareCodeUnits(a.commit, b.commit));
}

function compareRows(a: EvidenceRow, b: EvidenceRow): number {
  return (
    compareCodeUnits(a.subjectKind, b.subjectKind) ||
    compareCodeUnits(a.subject, b.subject) ||
    compareCodeUnits(a.role, b.role) ||
    compareCodeUnits(a.namespace ?? '', b.namespace ?? '') ||
    compareCodeUnits(a.cluster, b.cluster) ||
    compareCodeUnits(a.grantedAt, b.grantedAt)
  );
}

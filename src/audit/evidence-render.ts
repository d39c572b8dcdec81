/**
 * `roster audit --evidence` as CSV (one row per subject × grant × cluster, the columns documented in
 * docs/compliance.md) or JSON (`roster.dev/evidence/v1`). Byte-stable: rows are sorted, columns fixed.
 */

import type { Evidence, EvidenceRow } from './evidence.js';

export const EVIDENCE_COLUMNS = [
  'subject_kind',
  'subject',
  'via',
  'role',
  'namespace',
  'pattern',
  'cluster',
  'granted_at',
  'granted_commit',
  'granted_by',
  'granted_by_time',
  'reason',
  'expires',
  'reviews',
  'review_history',
  'ended_at',
  'ended_commit',
  'ended_by',
  'ended_how',
] as const;

export function renderEvidenceCsv(evidence: Evidence): string {
  const lines = [EVIDENCE_COLUMNS.join(','), ...evidence.rows.map((r) => csvRow(r).map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

function csvRow(r: EvidenceRow): string[] {
  return [
    r.subjectKind,
    r.subject,
    r.via.join('; '),
    r.role,
    r.namespace ?? '',
    r.pattern ? 'true' : 'false',
    r.cluster,
    r.grantedAt,
    r.grantedCommit,
    r.grantedBy,
    r.grantedByTime ? 'true' : 'false',
    r.reason ?? '',
    r.expires ?? '',
    String(r.reviews.length),
    r.reviews.map((v) => `${v.at} ${v.by} ${v.commit.slice(0, 12)}`).join('; '),
    r.endedAt ?? '',
    r.endedCommit ?? '',
    r.endedBy ?? '',
    r.endedHow ?? '',
  ];
}

/** RFC 4180: quote a field holding a comma, quote or line break; double the quotes. A leading = + - @ is
 * prefixed with ' so a spreadsheet never runs a subject name as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderEvidenceJson(evidence: Evidence, meta: Record<string, unknown>): string {
  const body = { version: 'roster.dev/evidence/v1', ...meta, truncated: evidence.truncated, rows: evidence.rows };
  return `${JSON.stringify(body, null, 2)}\n`;
}

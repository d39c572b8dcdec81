/** `roster audit` output: a text timeline (newest last, like a changelog read top to bottom) or JSON. */

import { formatPerson } from '../review/index.js';
import {
  describeAccess,
  describeExpiry,
  describeRole,
  describeToken,
  describeVia,
  day,
} from '../review/render/describe.js';
import type { AccessAt } from './access-at.js';
import type { AuditEvent, AuditTimeline } from './timeline.js';

export const AUDIT_JSON_VERSION = 'roster.dev/audit/v1';

export function renderTimelineText(t: AuditTimeline, title: string): string {
  const lines = [
    `${title}: ${t.events.length} change${t.events.length === 1 ? '' : 's'} in ${t.commits} ` +
      `commit${t.commits === 1 ? '' : 's'} (${t.unchanged} without config changes skipped)`,
    '',
  ];
  for (const e of t.events) lines.push(...eventLines(e), '');
  if (t.truncated) lines.push('History ends at a shallow clone boundary: older commits are not in the repository.', '');
  return lines.join('\n');
}

function eventLines(e: AuditEvent): string[] {
  const head =
    `${e.date.slice(0, 16).replace('T', ' ')}  ${e.commit.slice(0, 12)}  ${e.author.name} ` +
    `<${e.author.email}>  ${e.subject}`;
  if (e.invalid)
    return [
      head,
      `    ✗ config invalid (${e.invalid.errors} error${e.invalid.errors === 1 ? '' : 's'}); ` +
        `Roster refuses to apply it: ${e.invalid.first}`,
    ];
  return [
    head,
    ...e.access.map(
      (c) =>
        `    ${c.byTime ? '⏱' : c.change === 'gains' ? '+' : '-'} ${describeAccess(c)} ` +
        `(${describeVia(c)})${c.risks.length > 0 ? `  ! ${c.risks.map((r) => r.message).join('; ')}` : ''}`,
    ),
    ...e.expiries.map((c) => `    ~ ${describeExpiry(c)} (${describeVia(c)})`),
    ...e.tokens.map(
      (t) => `    ${t.change === 'added' ? '+' : t.change === 'removed' ? '-' : '~'} ${describeToken(t)}`,
    ),
    ...e.roles.map((r) => `    ~ ${describeRole(r)}`),
    ...(e.trailers
      ? [
          `    ${Object.entries(e.trailers)
            .map(([k, v]) => `${k.replace(/^Roster-/, '')}: ${v}`)
            .join('; ')}`,
        ]
      : []),
  ];
}

export function renderTimelineJson(t: AuditTimeline, meta: Record<string, unknown>): string {
  const events = t.events.map((e) => ({
    ...e,
    access: e.access.map((c) => ({ ...c, text: describeAccess(c) })),
    expiries: e.expiries.map((c) => ({ ...c, text: describeExpiry(c) })),
  }));
  const { commits, unchanged, truncated } = t;
  const doc = { version: AUDIT_JSON_VERSION, ...meta, commits, unchanged, truncated, events };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderAccessAtText(a: AccessAt): string {
  const where = [
    a.query.namespace ? `namespace ${a.query.namespace}` : 'every namespace',
    a.query.cluster ? `on cluster ${a.query.cluster}` : 'on every cluster',
  ].join(' ');
  const lines = [`Access to ${where} at ${a.query.at}`];
  if (!a.commit) return [...lines, 'No valid config existed on this branch at that time.', ''].join('\n');
  const c = a.commit;
  lines.push(
    `config as of commit ${c.oid.slice(0, 12)} (${c.date.slice(0, 16).replace('T', ' ')}, ` +
      `${c.author.name} <${c.author.email}>: ${c.subject})`,
  );
  if (a.skippedInvalid > 0)
    lines.push(
      `(${a.skippedInvalid} newer ` +
        `commit${a.skippedInvalid === 1 ? ' did not validate and was' : 's did not validate and were'} never applied)`,
    );
  lines.push('');
  if (a.rows.length === 0) lines.push('Nobody.');
  for (const r of a.rows) {
    const reach =
      r.reach === 'cluster-wide'
        ? 'cluster-wide'
        : r.reach === 'pattern'
          ? `through pattern ${r.namespace}`
          : `in ${r.namespace}`;
    const expires = r.expires ? `, until ${day(r.expires)}` : '';
    lines.push(`  ${r.cluster}  ${formatPerson(r.who)}  ${r.role}  ${reach}  (via ${r.via.join(', ')}${expires})`);
  }
  return [...lines, ''].join('\n');
}

export function renderAccessAtJson(a: AccessAt): string {
  return `${JSON.stringify({ version: AUDIT_JSON_VERSION, ...a }, null, 2)}\n`;
}

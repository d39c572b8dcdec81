/** `roster diff -o markdown`: a pull-request comment. Risky changes first, object counts folded away. */

import { hasAccessChanges, isRisky, type AccessDiff } from '../types.js';
import {
  describeAccess,
  describeExpiry,
  describeObjects,
  describeRole,
  describeToken,
  describeVia,
} from './describe.js';
import { short, type DiffReport } from './report.js';
import { describeSuspensionChange } from '../suspensions.js';

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

export function renderDiffMarkdown(report: DiffReport): string {
  const { diff } = report;
  const out = [
    `### Roster access review: ${code(report.base.ref)} → ${code(report.head.ref)}`,
    '',
    summaryLine(diff),
    '',
  ];
  const attention = [
    ...diff.access
      .filter(isRisky)
      .map((c) => `**${describeAccess(c, code)}** (${describeVia(c)}): ${c.risks.map((r) => r.message).join('; ')}`),
    ...diff.tokens
      .filter(isRisky)
      .map((t) => `**${describeToken(t, code)}**: ${t.risks.map((r) => r.message).join('; ')}`),
    ...diff.roles
      .filter(isRisky)
      .map((r) => `**${describeRole(r, code)}**: ${r.risks.map((k) => k.message).join('; ')}`),
  ];
  list(
    out,
    '#### Suspensions',
    (diff.suspensions ?? []).map((c) => describeSuspensionChange(c)),
  );
  list(out, '#### ⚠️ Needs attention', attention);
  list(out, '#### Access', [
    ...diff.access
      .filter((c) => !isRisky(c))
      .map((c) => `${c.change === 'gains' ? '➕' : '➖'} ${describeAccess(c, code)} (${describeVia(c)})`),
    ...diff.expiries.map((c) => `⏳ ${describeExpiry(c, code)} (${describeVia(c)})`),
  ]);
  list(
    out,
    '#### Tokens',
    diff.tokens.filter((t) => !isRisky(t)).map((t) => describeToken(t, code)),
  );
  list(
    out,
    '#### Roles',
    diff.roles.filter((r) => !isRisky(r)).map((r) => describeRole(r, code)),
  );
  out.push(...objectsTable(diff));
  out.push(
    `<sub>base ${code(short(report.base.commit))} · head ${code(short(report.head.commit))} · \`roster diff\` ` +
      `(offline: namespace patterns are not expanded)</sub>`,
    '',
  );
  return out.join('\n');
}

function summaryLine(diff: AccessDiff): string {
  if (!hasAccessChanges(diff)) return 'No access changes.';
  const count = diff.access.length + diff.expiries.length + diff.tokens.length + diff.roles.length;
  const risky = [...diff.access, ...diff.tokens, ...diff.roles].filter(isRisky).length;
  return `**${count} access change${count === 1 ? '' : 's'}**${risky > 0 ? `, ${risky} needing attention` : ''}.`;
}

function list(out: string[], title: string, items: string[]): void {
  if (items.length === 0) return;
  out.push(title, '', ...items.map((i) => `- ${i}`), '');
}

function objectsTable(diff: AccessDiff): string[] {
  const rows = diff.objects.map(
    (o) => `| ${code(o.cluster)} | ${o.created.length} | ${o.updated.length} | ${o.deleted.length} |`,
  );
  if (rows.length === 0) return [];
  const total = diff.objects.reduce((n, o) => n + o.created.length + o.updated.length + o.deleted.length, 0);
  return [
    `<details><summary>Objects per cluster (${total} change${total === 1 ? '' : 's'}: ` +
      `${diff.objects.map((o) => `${o.cluster} ${describeObjects(o)}`).join('; ')})</summary>`,
    '',
    '| Cluster | Created | Updated | Deleted |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    '</details>',
    '',
  ];
}

/** `roster diff` for a terminal: what needs attention first, then access, tokens, roles, object counts. */

import { hasAccessChanges, isRisky } from '../types.js';
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

export function renderDiffText(report: DiffReport): string {
  const { diff } = report;
  const lines = [
    `Access changes in ${report.repo}: ${report.base.ref} (${short(report.base.commit)}) ` +
      `→ ${report.head.ref} (${short(report.head.commit)})`,
    '',
  ];
  if (!hasAccessChanges(diff)) lines.push('No access changes.', '');
  section(
    lines,
    'Suspensions:',
    (diff.suspensions ?? []).map((c) => `${c.change === 'lifted' ? '-' : '!'} ${describeSuspensionChange(c)}`),
  );
  const attention = [
    ...diff.access.filter(isRisky).map((c) => ({ text: `${describeAccess(c)} (${describeVia(c)})`, risks: c.risks })),
    ...diff.tokens.filter(isRisky).map((t) => ({ text: describeToken(t), risks: t.risks })),
    ...diff.roles.filter(isRisky).map((r) => ({ text: describeRole(r), risks: r.risks })),
  ];
  section(
    lines,
    'Needs attention:',
    attention.map((a) => `! ${a.text}\n      ${a.risks.map((r) => r.message).join('; ')}`),
  );
  section(lines, 'Access:', [
    ...diff.access
      .filter((c) => !isRisky(c))
      .map((c) => `${c.change === 'gains' ? '+' : '-'} ${describeAccess(c)} (${describeVia(c)})`),
    ...diff.expiries.map((c) => `~ ${describeExpiry(c)} (${describeVia(c)})`),
  ]);
  section(
    lines,
    'Tokens:',
    diff.tokens
      .filter((t) => !isRisky(t))
      .map((t) => `${t.change === 'added' ? '+' : t.change === 'removed' ? '-' : '~'} ${describeToken(t)}`),
  );
  section(
    lines,
    'Roles:',
    diff.roles.filter((r) => !isRisky(r)).map((r) => `~ ${describeRole(r)}`),
  );
  section(
    lines,
    'Objects per cluster (offline: namespace patterns are not expanded):',
    diff.objects.map((o) => `${o.cluster}: ${describeObjects(o)}`),
  );
  return lines.join('\n');
}

function section(lines: string[], title: string, items: string[]): void {
  if (items.length === 0) return;
  lines.push(title, ...items.map((i) => `  ${i}`), '');
}

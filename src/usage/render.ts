/** `roster usage` as text for people and as JSON (`roster.dev/usage/v1`, documented in docs/compliance.md). */

import type { GrantUsage, MemberUsage, TokenUsage, UsageReport } from './report.js';

export function renderUsageJson(report: UsageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderUsageText(report: UsageReport): string {
  const lines: string[] = [];
  lines.push(`Usage from audit logs (as of ${report.now}${report.since ? `, requests since ${report.since}` : ''})`);
  for (const c of report.clusters) {
    const span = c.first ? ` from ${c.first} to ${c.last}` : '';
    lines.push(`  ${c.cluster}: ${c.requests} requests${span} (${c.files.join(', ')})`);
  }
  lines.push('', totalsLine(report));
  for (const m of report.malformed)
    lines.push(
      `  skipped ${m.lines} line(s) of ${m.file} that are not audit events; ` +
        `first ${m.file}:${m.first.line}: ${m.first.reason}`,
    );
  lines.push('');
  lines.push('Grants (holder × role × namespace × cluster):');
  for (const g of report.grants) lines.push(`  ${pad(grantLabel(g), 60)} ${useText(g)}`);
  if (report.grants.length === 0) lines.push('  (none on the logged clusters)');
  lines.push('', 'Team members:');
  for (const m of report.members) lines.push(`  ${pad(memberLabel(m), 60)} ${useText(m)}`);
  if (report.members.length === 0) lines.push('  (no teams)');
  lines.push('', 'Access tokens:');
  for (const t of report.tokens) lines.push(`  ${pad(`token ${t.token} (owner ${t.owner})`, 60)} ${useText(t)}`);
  if (report.tokens.length === 0) lines.push('  (no tokens)');
  lines.push(...unusedSection(report));
  lines.push('', 'Allowed outside Roster (bindings Roster does not manage, system:masters, other authorizers):');
  for (const o of report.outside) lines.push(`  ${pad(`${o.cluster}  ${o.user}`, 60)} ${o.count} (last ${o.lastUsed})`);
  if (report.outside.length === 0) lines.push('  (none)');
  return `${lines.join('\n')}\n`;
}

function totalsLine(report: UsageReport): string {
  const t = report.totals;
  const skipped = [
    t.otherStages > 0 ? `${t.otherStages} other-stage events` : '',
    t.beforeSince > 0 ? `${t.beforeSince} before --since` : '',
    t.malformed > 0 ? `${t.malformed} malformed lines` : '',
  ].filter(Boolean);
  return (
    `${t.requests} requests: ${t.allowed} allowed (${t.byRoster} by Roster grants, ` +
    `${t.outsideRoster} outside Roster), ` +
    `${t.denied} denied; ${t.lines} lines read${skipped.length > 0 ? ` (skipped: ${skipped.join(', ')})` : ''}`
  );
}

function unusedSection(report: UsageReport): string[] {
  const unused = [
    ...report.grants.filter((g) => g.unused).map((g) => [`grant ${grantLabel(g)}`, g.revoke]),
    ...report.members.filter((m) => m.unused).map((m) => [`member ${memberLabel(m)}`, m.revoke]),
    ...report.tokens.filter((t) => t.unused).map((t) => [`token ${t.token}`, t.revoke]),
  ];
  const lines = ['', `Unused for ${report.unusedForDays} days, and the command that would remove each:`];
  if (report.shortCoverage)
    lines.push(`  note: the logs reach back less than ${report.unusedForDays} days; this means unused in the logs`);
  for (const [what, revoke] of unused) lines.push(`  ${pad(what ?? '', 60)} ${revoke ?? ''}`);
  if (unused.length === 0) lines.push('  (none)');
  return lines;
}

export function grantLabel(g: GrantUsage): string {
  const where = g.namespace !== undefined ? `in ${g.namespace}${g.pattern ? ' (pattern)' : ''}` : 'cluster-wide';
  return `${g.holder.kind} ${g.holder.name}: ${g.role} ${where} on ${g.cluster}`;
}

function memberLabel(m: MemberUsage): string {
  return `team ${m.team}: ${m.member.kind === 'user' ? '' : `${m.member.kind} `}${m.member.name}`;
}

function useText(u: GrantUsage | MemberUsage | TokenUsage): string {
  return u.count === 0 ? 'never used' : `${u.count} (last ${u.lastUsed})`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

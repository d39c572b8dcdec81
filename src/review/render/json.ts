/** `roster diff -o json`: a stable shape for bots, documented in docs/git.md. */

import { hasAccessChanges } from '../types.js';
import { describeAccess, describeExpiry, describeRole, describeToken } from './describe.js';
import type { DiffReport } from './report.js';
import { describeSuspensionChange } from '../suspensions.js';

export const DIFF_JSON_VERSION = 'roster.dev/diff/v1';

export function renderDiffJson(report: DiffReport): string {
  const { diff } = report;
  const body = {
    version: DIFF_JSON_VERSION,
    repo: report.repo,
    base: report.base,
    head: report.head,
    changed: hasAccessChanges(diff),
    risky: [...diff.access, ...diff.tokens, ...diff.roles].some((c) => c.risks.length > 0),
    access: diff.access.map((c) => ({ ...c, text: describeAccess(c) })),
    expiries: diff.expiries.map((c) => ({ ...c, text: describeExpiry(c) })),
    tokens: diff.tokens.map((t) => ({ ...t, text: describeToken(t) })),
    roles: diff.roles.map((r) => ({ ...r, text: describeRole(r) })),
    objects: diff.objects,
    suspensions: (diff.suspensions ?? []).map((c) => ({ ...c, text: describeSuspensionChange(c) })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

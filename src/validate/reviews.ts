/**
 * Access reviews (Settings `review`): an overdue team or token is a warning on its document, and says whether its
 * grants are suspended (onOverdue: suspend) until `roster review attest`; one due within expiryWarningDays is a
 * warning too. Computed with the same function the compiler uses to suspend, so the two never disagree.
 */

import type { Diagnostic } from '../diagnostics.js';
import { reviewStatuses, type ReviewStatus } from '../model/reviews.js';
import type { Model } from '../model/types.js';
import type { Check, CheckContext } from './context.js';
import { diag } from './report.js';
import { formatTime } from '../time.js';

export const checkReviews: Check = (ctx) => {
  if (!ctx.settings.review) return [];
  const model = {
    settings: ctx.settings,
    clusters: [],
    roles: ctx.c.roles.map((e) => e.item),
    teams: ctx.c.teams.map((e) => e.item),
    tokens: ctx.c.tokens.map((e) => e.item),
  } satisfies Model;
  return reviewStatuses(model, ctx.now, ctx.settings.expiryWarningDays).flatMap((s) => problemOf(ctx, s));
};

function problemOf(ctx: CheckContext, s: ReviewStatus): Diagnostic[] {
  if (s.state === 'ok') return [];
  const list = s.kind === 'team' ? ctx.c.teams : ctx.c.tokens;
  const entry = list.find((e) => e.item.name === s.name);
  if (!entry) return [];
  const attest = `roster review attest ${s.kind === 'token' ? `--token ${s.name}` : s.name}`;
  const path = s.reviewed ? ['spec', 'reviewed', 'at'] : ['metadata', 'name'];
  const last = s.reviewed ? ` (last reviewed ${formatTime(s.reviewed.at)} by ${s.reviewed.by})` : '';
  if (s.state === 'due-soon')
    return [
      diag(entry.doc, path, 'review-due', `access review due on ${formatTime(s.due!)}${last}`, {
        severity: 'warning',
        hint: `review the ${s.kind}'s members and grants, then ${attest}`,
      }),
    ];
  const since = s.due ? `overdue since ${formatTime(s.due)}` : 'overdue: never reviewed';
  const effect = s.suspended ? '; its grants are suspended (review.onOverdue: suspend)' : '';
  return [
    diag(entry.doc, path, 'review-overdue', `access review ${since}${last}${effect}`, {
      severity: 'warning',
      hint: `review the ${s.kind}'s members and grants, then ${attest}`,
    }),
  ];
}

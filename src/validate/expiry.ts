/** Time windows: notBefore before expires; expired or soon-expiring grants and tokens warned about; token lifetimes
 * capped. */

import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
import { heldGrants, type Check, type CheckContext } from './context.js';
import { diag } from './report.js';
import { daysBetween, formatDuration, formatTime } from '../time.js';

interface TimeBounds {
  what: string;
  notBefore?: Date | undefined;
  expires?: Date | undefined;
  doc: LoadedDocument;
  path: (string | number)[];
}

export const checkGrantWindows: Check = (ctx) =>
  heldGrants(ctx).flatMap(({ grant, doc, path }) =>
    windowProblems(ctx, {
      what: `grant of role "${grant.role}"`,
      notBefore: grant.notBefore,
      expires: grant.expires,
      doc,
      path,
    }),
  );

export const checkTokenWindows: Check = (ctx) =>
  ctx.c.tokens.flatMap(({ item, doc }) => [
    ...windowProblems(ctx, {
      what: `token "${item.name}"`,
      notBefore: item.notBefore,
      expires: item.expires,
      doc,
      path: ['spec'],
    }),
    ...lifetimeProblem(ctx, item.expires, item.notBefore, doc),
  ]);

function windowProblems(ctx: CheckContext, w: TimeBounds): Diagnostic[] {
  if (!w.expires) return [];
  const at = [...w.path, 'expires'];
  if (w.notBefore && w.notBefore >= w.expires) {
    return [
      diag(
        w.doc,
        at,
        'time-window',
        `expires (${formatTime(w.expires)}) must be after notBefore (${formatTime(w.notBefore)})`,
      ),
    ];
  }
  if (w.expires <= ctx.now) {
    return [
      diag(w.doc, at, 'expired', `${w.what} expired on ${formatTime(w.expires)}`, {
        severity: 'warning',
        hint: 'it no longer compiles to anything; remove it or set a new expires',
      }),
    ];
  }
  const days = daysBetween(ctx.now, w.expires);
  if (days > ctx.settings.expiryWarningDays) return [];
  return [
    diag(
      w.doc,
      at,
      'expiring',
      `${w.what} expires on ${formatTime(w.expires)} (in ${days} day${days === 1 ? '' : 's'})`,
      { severity: 'warning' },
    ),
  ];
}

/** Lifetime counts from max(notBefore, now): a token declared long ago only has its remaining time left. */
function lifetimeProblem(
  ctx: CheckContext,
  expires: Date,
  notBefore: Date | undefined,
  doc: LoadedDocument,
): Diagnostic[] {
  const start = notBefore && notBefore > ctx.now ? notBefore : ctx.now;
  const max = ctx.settings.maxTokenLifetimeSeconds;
  const lifetime = (expires.getTime() - start.getTime()) / 1000;
  if (lifetime <= max) return [];
  const latest = new Date(start.getTime() + max * 1000);
  return [
    diag(
      doc,
      ['spec', 'expires'],
      'token-lifetime',
      `token lifetime of ${Math.ceil(lifetime / 86_400)}d exceeds the maximum of ${formatDuration(max)} ` +
        `(Settings spec.maxTokenLifetime)`,
      {
        hint: `set expires to ${formatTime(latest)} or earlier, or raise maxTokenLifetime`,
      },
    ),
  ];
}

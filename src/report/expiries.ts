/**
 * Upcoming expiries for `plan`: every token and time-bound grant that still works today but stops on a known
 * date, soonest first, with how long is left and the file that declares it.
 */

import type { UpcomingExpiry } from '../compile/types.js';

export interface ExpiryRenderOptions {
  /** The clock the plan ran with; "in N days" is counted from it. */
  now: Date;
  /** Entries ending within this many days are marked `soon` (Settings.expiryWarningDays). Default 14. */
  warningDays?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Empty string when nothing expires, so callers can print it unconditionally. */
export function renderExpiries(expiries: readonly UpcomingExpiry[], opts: ExpiryRenderOptions): string {
  if (expiries.length === 0) return '';
  const rows = expiries.map((e) => row(e, opts));
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  return `Upcoming expiries (${expiries.length}):\n${lines.map((l) => `  ${l}\n`).join('')}`;
}

function row(expiry: UpcomingExpiry, opts: ExpiryRenderOptions): string[] {
  const what =
    expiry.role === undefined
      ? `${expiry.holder.kind} ${expiry.holder.name}`
      : `${expiry.holder.kind} ${expiry.holder.name} → ${expiry.role}`;
  const left = (new Date(expiry.expires).getTime() - opts.now.getTime()) / DAY_MS;
  const soon = left <= (opts.warningDays ?? 14) ? ' (soon)' : '';
  return [expiry.expires, `in ${describeLeft(left)}${soon}`, what, expiry.source];
}

/** "3 days", "1 day", "5 hours", "less than an hour": rounded down, never overstating what is left. */
export function describeLeft(days: number): string {
  if (days >= 1) {
    const n = Math.floor(days);
    return `${n} day${n === 1 ? '' : 's'}`;
  }
  const hours = Math.floor(days * 24);
  if (hours >= 1) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return 'less than an hour';
}

/** `--for 4h` / `--until DATE`: when a grant made on the command line ends. */

import { UsageError } from '../errors.js';
import { formatTime } from '../time.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Seconds in `20s`, `30m`, `4h`, `2d`, `1w` or a sum of them (`1h30m`). */
export function parseFor(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0);
  if (parts.map((p) => p[0]).join('') !== text || total <= 0)
    throw new UsageError(`--for ${text}: not a duration like 20s, 30m, 4h, 2d or 1h30m`);
  return total;
}

/** An RFC 3339 date-time, or a date (midnight UTC); must lie after `now`. */
export function parseUntil(text: string, now: Date): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime()))
    throw new UsageError(`--until ${text}: not a date like 2027-01-31 or 2027-01-31T18:00:00Z`);
  if (date <= now) throw new UsageError(`--until ${text}: lies in the past`);
  return date;
}

/** When a grant ends: now + --for, or --until; whole seconds, so the file shows `2026-12-02T05:00:00Z`. */
export function expiryOf(flags: { for?: string; until?: string }, now: Date): Date | undefined {
  if (flags.for !== undefined && flags.until !== undefined) throw new UsageError('give --for or --until, not both');
  if (flags.for !== undefined) return new Date(Math.floor(now.getTime() / 1000) * 1000 + parseFor(flags.for) * 1000);
  if (flags.until !== undefined) return parseUntil(flags.until, now);
  return undefined;
}

/** `2026-12-02T05:00:00Z`: whole seconds, as every time Roster prints. */
export function formatExpiry(date: Date): string {
  return formatTime(new Date(Math.floor(date.getTime() / 1000) * 1000));
}

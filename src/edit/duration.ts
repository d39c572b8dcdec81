/** `--for 4h` / `--until DATE`: when a grant made on the command line ends. */

import { UsageError } from '../errors.js';
import { formatTime } from '../time.js';
import { EditError } from './errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };
const FOR_FORMS = 'like 20s, 30m, 4h, 2d, 1w or 1h30m';
const UNTIL_FORMS = 'like 2027-01-31 (midnight UTC), 2027-01-31T18:00:00Z or 2027-01-31T18:00:00+01:00';

/** Seconds in `20s`, `30m`, `4h`, `2d`, `1w` or a sum of them (`1h30m`). */
export function parseFor(text: string): number {
  const bad = (what: string) => new EditError('invalid-request', `--for ${JSON.stringify(text)}: ${what}`);
  if (/^\s*-/.test(text)) throw bad(`a grant cannot end before it starts; give a positive duration ${FOR_FORMS}`);
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text)
    throw bad(`not a duration; write one ${FOR_FORMS}`);
  const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0);
  if (total <= 0) throw bad(`the grant would end as it starts; give a positive duration ${FOR_FORMS}`);
  if (!Number.isSafeInteger(total) || total > 100 * 365 * 86_400)
    throw bad('longer than 100 years; leave out --for for a grant that does not expire');
  return total;
}

/**
 * An RFC 3339 date-time with its offset, or a date (midnight UTC); a day that does not exist (2027-02-30) is refused
 * rather than rolled over, and the time must lie after `now`.
 */
export function parseUntil(text: string, now: Date): Date {
  const bad = (what: string) => new EditError('invalid-request', `--until ${JSON.stringify(text)}: ${what}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?)?$/.exec(
    text,
  );
  if (!m) throw bad(`not a date; write one ${UNTIL_FORMS}`);
  const [, y, mo, d, h, mi, s, zone] = m;
  if (h !== undefined && zone === undefined)
    throw bad(`a time needs its offset, so the expiry means the same everywhere: add Z (UTC) or +01:00`);
  const fields = [Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)] as const;
  const probe = new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]));
  const exists =
    probe.getUTCFullYear() === fields[0] &&
    probe.getUTCMonth() === fields[1] - 1 &&
    probe.getUTCDate() === fields[2] &&
    probe.getUTCHours() === fields[3] &&
    probe.getUTCMinutes() === fields[4] &&
    probe.getUTCSeconds() === fields[5];
  if (!exists) throw bad(`no such date or time; write one ${UNTIL_FORMS}`);
  const date = new Date(h === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.replace(' ', 'T'));
  if (Number.isNaN(date.getTime())) throw bad(`not a date; write one ${UNTIL_FORMS}`);
  if (date <= now)
    throw bad(`lies in the past (it is now ${formatExpiry(now)}); give a later time, or a duration with --for`);
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

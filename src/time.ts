/**
 * Time as Roster prints and reads it, one helper for each job: points in time are RFC 3339 in UTC without zero
 * milliseconds (`formatTime`); durations are `90d`, `12h`, `30m`.
 */
import { UsageError } from './errors.js';

/** One way to print a point in time everywhere: RFC 3339 in UTC, without milliseconds when they are zero. */
export function formatTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** Kubernetes MicroTime (Lease renew times): RFC 3339 with exactly six fractional digits. */
export function formatMicroTime(date: Date): string {
  return formatTime(date).replace(/(?:\.(\d{3}))?Z$/, (_, ms: string | undefined) => `.${ms ?? '000'}000Z`);
}

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60 };

/** Seconds in a duration like `90d`, `12h` or `30m` (the schemas accept `^[1-9][0-9]*[dhm]$`). */
export function parseDuration(text: string): number {
  const unit = UNIT_SECONDS[text.slice(-1)];
  const count = Number(text.slice(0, -1));
  if (unit === undefined || !Number.isInteger(count) || count <= 0)
    throw new UsageError(
      `invalid duration ${JSON.stringify(text)}: use a whole number of days, hours or minutes (90d, 12h, 30m)`,
    );
  return count * unit;
}

/** The largest whole unit: 7776000 → "90d", 43200 → "12h". */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${Math.ceil(seconds / 60)}m`;
}

/** Whole days from `from` to `to`, rounded up. */
export function daysBetween(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / 86_400_000);
}

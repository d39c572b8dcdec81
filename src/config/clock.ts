/**
 * The clock, read once at the edge (the CLI, `roster serve`) and passed down as a value or a `Clock`. Nothing below
 * the edge reads the environment or the wall clock for "now": compile, validate and the views take it as an argument.
 */
import { UsageError } from '../errors.js';

/** Where "now" comes from. Long-running modes call it once per run; one-shot commands once. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * The clock a process uses: ROSTER_NOW (an RFC 3339 time) pins it, for reproducible examples and tests; without it
 * the system clock. Call this once, where the process starts.
 */
export function clockFromEnv(env: Readonly<Record<string, string | undefined>>): Clock {
  const pinned = env.ROSTER_NOW;
  if (!pinned) return systemClock;
  const date = new Date(pinned);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`ROSTER_NOW=${pinned} is not a date-time like 2026-06-01T00:00:00Z`);
  return () => new Date(date);
}

/** Durations (`90d`, `12h`, `30m`) and timestamps as Roster reads and prints them. */

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60 };

/** Seconds in a duration the schema already accepted (`^[1-9][0-9]*[dhm]$`). */
export function parseDuration(text: string): number {
  const unit = UNIT_SECONDS[text.slice(-1)];
  if (unit === undefined) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return Number(text.slice(0, -1)) * unit;
}

/** The largest whole unit: 7776000 → "90d", 43200 → "12h". */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${Math.ceil(seconds / 60)}m`;
}

export { formatTime } from '../time.js';

export function daysBetween(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / 86_400_000);
}

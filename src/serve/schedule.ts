/**
 * When `roster serve` runs next: on the interval, or earlier when a grant or token starts or ends, so an expiry
 * takes effect on time and not up to one interval late. Pure: the model, the clock and the interval in; a time out.
 */
import { reviewStatuses } from '../model/reviews.js';
import type { Grant, Model } from '../model/types.js';
import { UsageError } from '../errors.js';
import { formatTime } from '../time.js';

/** A run starts this long after a boundary, so the compile's `now` is safely past it. */
export const BOUNDARY_SLACK_MS = 1_000;
/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface NextRun {
  /** Milliseconds from `now`. */
  delayMs: number;
  reason: 'interval' | 'expiry';
  /** The boundary that made it earlier than the interval, as an ISO time. */
  boundary?: string;
}

/** Every future time at which some access starts (notBefore) or stops (expires), sorted. */
export function accessBoundaries(model: Model, now: Date): Date[] {
  const times: Date[] = [];
  const grant = (g: Grant): void =>
    void times.push(...[g.notBefore, g.expires].filter((d): d is Date => d !== undefined));
  for (const team of model.teams) team.grants.forEach(grant);
  for (const token of model.tokens) {
    times.push(token.expires);
    if (token.notBefore) times.push(token.notBefore);
    token.grants.forEach(grant);
  }
  // Under review.onOverdue: suspend, a review falling due removes access: reconcile then, not an interval later.
  if (model.settings.review?.onOverdue === 'suspend')
    for (const status of reviewStatuses(model, now)) if (status.due) times.push(status.due);
  const future = times.filter((d) => d.getTime() > now.getTime()).map((d) => d.getTime());
  return [...new Set(future)].sort((a, b) => a - b).map((t) => new Date(t));
}

export function nextRun(opts: { now: Date; intervalMs: number; boundaries: readonly Date[] }): NextRun {
  const next = opts.boundaries.find((b) => b.getTime() > opts.now.getTime());
  const untilBoundary = next === undefined ? Infinity : next.getTime() - opts.now.getTime() + BOUNDARY_SLACK_MS;
  if (untilBoundary < opts.intervalMs) return { delayMs: untilBoundary, reason: 'expiry', boundary: formatTime(next!) };
  return { delayMs: Math.min(opts.intervalMs, MAX_TIMER_MS), reason: 'interval' };
}

/** `30s`, `1m`, `1h30m`, `500ms`, or plain seconds (`90`) → milliseconds; at least one second. */
export function parseInterval(text: string, flag = '--interval'): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return checkMinimum(Number(trimmed) * 1000, text, flag);
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new UsageError(`${flag} ${text}: use a duration like 30s, 1m or 1h30m`, { flag, value: text });
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
  return checkMinimum(ms, text, flag);
}

function checkMinimum(ms: number, text: string, flag: string): number {
  if (ms < 1000) throw new UsageError(`${flag} ${text}: must be at least 1s`, { flag, value: text });
  return ms;
}

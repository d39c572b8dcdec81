/**
 * Which failed requests are worth another try, and how long to wait. The rules follow client-go (rest/request.go,
 * rest/with_retry.go): a read (GET) may always be sent again; a write (POST, PATCH, DELETE) only when it provably
 * did not happen — the server refused it before doing anything (429, or a 5xx that says when to come back with
 * Retry-After), or it never left this machine (connection refused, or the connection failed before it was up).
 * Any other failure of a write is *ambiguous*: the write may have happened. It is not retried here; the caller
 * reads the object back and decides (src/reconcile/writes.ts).
 *
 * Bounded, with one budget per kind of failure (`failureKind`), so one kind cannot use up another's:
 * - `throttled` (429, or a 5xx with Retry-After): `throttledAttempts` sends, 10 by default as client-go's
 *   `maxRetries`; the server asked to come back, and a busy server answering 429 often is not broken;
 * - `refused` (ECONNREFUSED, nothing listening): `refusedAttempts`, so an unreachable cluster fails in about a second;
 * - any other retriable failure (timeout, reset, 5xx): `maxAttempts`.
 * A request is sent at most the sum of the three budgets.
 */

export interface RetryPolicy {
  maxAttempts: number;
  /** Sends allowed for a request the server keeps turning away with 429 or Retry-After. */
  throttledAttempts: number;
  refusedAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retry-After beyond this is not waited for: the request fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  throttledAttempts: 10,
  refusedAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/**
 * What came back from one attempt: an HTTP status, or a network error code (ECONNRESET, ETIMEDOUT, TIMEOUT, …)
 * with `sent` telling whether the request could have reached the server (false: the connection never came up).
 */
export type Outcome = { status: number; retryAfter?: string | undefined } | { networkError: string; sent: boolean };

/** Network failures that say nothing about the server's state, worth another try for a read. */
const RETRIED_NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** GET is a read; every other method writes. */
export function isRead(method: string): boolean {
  return method === 'GET';
}

/** The budget a failed attempt draws on (see the module comment). */
export type FailureKind = 'throttled' | 'refused' | 'other';

export function failureKind(outcome: Outcome): FailureKind {
  if ('networkError' in outcome) return outcome.networkError === 'ECONNREFUSED' ? 'refused' : 'other';
  return refusedByServer(outcome) ? 'throttled' : 'other';
}

/**
 * How many sends this kind of failure allows in total (counted per `failureKind`); 1 means do not send again.
 */
export function attemptsAllowed(outcome: Outcome, method: string, policy: RetryPolicy): number {
  if ('networkError' in outcome) {
    if (outcome.networkError === 'ECONNREFUSED') return policy.refusedAttempts;
    if (!RETRIED_NETWORK_ERRORS.has(outcome.networkError)) return 1;
    return isRead(method) || !outcome.sent ? policy.maxAttempts : 1;
  }
  if (!retriable(outcome.status)) return 1;
  if (refusedByServer(outcome)) return policy.throttledAttempts;
  return isRead(method) ? policy.maxAttempts : 1;
}

/**
 * A write that failed this way may have happened: it was sent and no answer says it was not carried out
 * (a timeout or reset after sending, a 5xx without Retry-After). Only meaningful for writes.
 */
export function ambiguous(outcome: Outcome): boolean {
  if ('networkError' in outcome) return outcome.networkError !== 'ECONNREFUSED' && outcome.sent;
  return outcome.status >= 500 && !refusedByServer(outcome);
}

function retriable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** The server turned the request away before doing anything: 429, or a 5xx telling when to come back. */
function refusedByServer(outcome: { status: number; retryAfter?: string | undefined }): boolean {
  if (outcome.status === 429) return true;
  return outcome.status >= 500 && parseRetryAfter(outcome.retryAfter) !== undefined;
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): the server's Retry-After when it gave one,
 * else exponential backoff with jitter (half fixed, half random), so retries from
 * many concurrent writers spread out. Undefined when Retry-After asks for longer than the policy allows.
 */
export function retryDelay(
  attempt: number,
  outcome: Outcome,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  const asked = 'status' in outcome ? parseRetryAfter(outcome.retryAfter) : undefined;
  if (asked !== undefined) return asked > policy.maxRetryAfterMs ? undefined : asked;
  return backoff(attempt, policy, random);
}

/** Exponential backoff with jitter before attempt `attempt + 1`: half of the doubled delay fixed, half random. */
export function backoff(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After in seconds (the API server's form) or as an HTTP date; ms, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

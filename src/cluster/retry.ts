/**
 * Which failed requests are worth another try, and how long to wait. Bounded: a request is sent at most
 * `maxAttempts` times; a refused connection (nothing listening) only `refusedAttempts` times, so an unreachable
 * cluster fails in about a second instead of holding up the run.
 */

export interface RetryPolicy {
  maxAttempts: number;
  refusedAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retry-After beyond this is not waited for: the request fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  refusedAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/** What came back from one attempt: an HTTP status, or a network error code (ECONNRESET, ETIMEDOUT, …). */
export type Outcome = { status: number; retryAfter?: string | undefined } | { networkError: string };

const RETRIED_NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** How many attempts this kind of failure allows in total; 1 means do not retry. */
export function attemptsAllowed(outcome: Outcome, policy: RetryPolicy): number {
  if ('networkError' in outcome) {
    if (outcome.networkError === 'ECONNREFUSED') return policy.refusedAttempts;
    return RETRIED_NETWORK_ERRORS.has(outcome.networkError) ? policy.maxAttempts : 1;
  }
  const { status } = outcome;
  return status === 429 || (status >= 500 && status !== 501) ? policy.maxAttempts : 1;
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

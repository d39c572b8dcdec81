/**
 * Every request to one cluster goes through here: a bound on requests in flight, the token bucket, bounded
 * retries with backoff, a count per verb, and one error type for whatever went wrong.
 */

import pLimit, { type LimitFunction } from 'p-limit';
import { ApiError } from './errors.js';
import { decodeStatus, PROTOBUF } from './protobuf.js';
import type { Endpoint } from './kubeconfig.js';
import { TokenBucket, realClock, type Clock } from './ratelimit.js';
import {
  DEFAULT_RETRY,
  ambiguous,
  attemptsAllowed,
  failureKind,
  isRead,
  retryDelay,
  type Outcome,
  type RetryPolicy,
} from './retry.js';
import { NetworkError, send, type HttpRequest, type HttpResponse } from './transport.js';
import type { RateLimit } from './types.js';

export interface RequesterOptions {
  cluster: string;
  endpoint: Endpoint;
  rate: RateLimit;
  timeoutMs: number;
  maxInFlight: number;
  retry?: RetryPolicy;
  clock?: Clock;
}

/** What a call is about, for counts and messages: the Kubernetes verb and `Kind/namespace/name`. */
export interface CallContext {
  verb: string;
  ref: string;
}

export class Requester {
  private readonly counts: Record<string, number> = {};
  private readonly bucket: TokenBucket;
  private readonly limit: LimitFunction;
  private readonly retry: RetryPolicy;
  private readonly clock: Clock;

  constructor(private readonly opts: RequesterOptions) {
    this.clock = opts.clock ?? realClock;
    this.bucket = new TokenBucket(opts.rate.qps, opts.rate.burst, this.clock);
    this.limit = pLimit(opts.maxInFlight);
    this.retry = opts.retry ?? DEFAULT_RETRY;
  }

  /**
   * Sends the request until it succeeds or the retry rules (retry.ts) say stop; returns a 2xx response, else throws
   * ApiError. A write is sent again only when it provably did not happen; when it may have, the error says
   * `ambiguous` and the caller reads the object back instead.
   */
  async call(ctx: CallContext, req: HttpRequest): Promise<HttpResponse> {
    const failures = { throttled: 0, refused: 0, other: 0 };
    for (;;) {
      const result = await this.limit(() => this.attempt(ctx, req));
      const outcome: Outcome =
        result instanceof NetworkError ? { networkError: result.code, sent: result.sent } : result;
      if (!(result instanceof NetworkError) && result.status < 300) return result;
      const attempt = ++failures[failureKind(outcome)];
      const allowed = attemptsAllowed(outcome, req.method, this.retry);
      const delay = attempt < allowed ? retryDelay(attempt, outcome, this.retry) : undefined;
      if (delay === undefined) throw this.failure(ctx, result, !isRead(req.method) && ambiguous(outcome));
      await this.clock.sleep(delay);
    }
  }

  requests(): Record<string, number> {
    return { ...this.counts };
  }

  private async attempt(ctx: CallContext, req: HttpRequest): Promise<HttpResponse | NetworkError> {
    await this.bucket.take();
    this.counts[ctx.verb] = (this.counts[ctx.verb] ?? 0) + 1;
    try {
      return await send(this.opts.endpoint, req, this.opts.timeoutMs);
    } catch (err) {
      if (err instanceof NetworkError) return err;
      throw err;
    }
  }

  private failure(ctx: CallContext, result: HttpResponse | NetworkError, mayHaveHappened: boolean): ApiError {
    const base = { cluster: this.opts.cluster, verb: ctx.verb, ref: ctx.ref, ambiguous: mayHaveHappened };
    if (result instanceof NetworkError) {
      return new ApiError(
        { ...base, status: 0, reason: result.code },
        `cannot reach ${this.opts.endpoint.server.host}: ${result.message}`,
        result,
      );
    }
    const status = parseStatus(result);
    const detail = status.message ?? (result.contentType.startsWith(PROTOBUF) ? '' : result.body.slice(0, 200));
    return new ApiError(
      { ...base, status: result.status, reason: status.reason ?? `HTTP ${result.status}` },
      detail || 'no details',
    );
  }
}

/** The Kubernetes `Status` object error responses carry, in JSON or (for LISTs) protobuf. */
function parseStatus(res: HttpResponse): { reason?: string; message?: string } {
  try {
    if (res.contentType.startsWith(PROTOBUF)) return decodeStatus(res.raw);
    const parsed = JSON.parse(res.body) as { kind?: string; reason?: string; message?: string };
    return parsed.kind === 'Status' ? parsed : {};
  } catch {
    return {};
  }
}

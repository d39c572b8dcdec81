/** A local HTTP server answering from a script, and a requester aimed at it, for the requester's and retry tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Requester } from '../../../src/cluster/requester.js';

/**
 * One scripted answer: a status with an optional JSON body (default `{}`) and headers, optionally `Retry-After`;
 * or `hang-up-after-reading`, which reads the whole request and then resets the connection.
 */
export type Answer =
  { status: number; body?: unknown; headers?: Record<string, string>; retryAfter?: string } | 'hang-up-after-reading';

/** Answers request N with answers[N], the last one from then on. */
export async function serve(answers: Answer[]) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    const answer = answers[Math.min(calls, answers.length - 1)]!;
    calls += 1;
    req.resume();
    req.on('end', () => {
      if (answer === 'hang-up-after-reading') return req.socket.destroy();
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...answer.headers };
      if (answer.retryAfter !== undefined) headers['Retry-After'] = answer.retryAfter;
      res.writeHead(answer.status, headers);
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, calls: () => calls, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A requester with small budgets and millisecond backoff: 4 sends for most failures, 6 throttled, 3 refused. */
export function requester(port: number, headers: Record<string, string> = {}): Requester {
  return new Requester({
    cluster: 'local',
    endpoint: { server: new URL(`http://127.0.0.1:${port}`), agent: new http.Agent({ keepAlive: false }), headers },
    rate: { qps: 1000, burst: 1000 },
    timeoutMs: 2000,
    maxInFlight: 4,
    retry: {
      maxAttempts: 4,
      throttledAttempts: 6,
      refusedAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 5,
      maxRetryAfterMs: 2000,
    },
  });
}

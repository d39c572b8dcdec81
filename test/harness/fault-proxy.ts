/**
 * A fault-injecting proxy between Roster and a real kube-apiserver, toxiproxy's model: the faults happen on the wire,
 * so the code under test is the code users run. It listens on loopback only (plain HTTP; the hop to the API server
 * is HTTPS, trusting only the cluster's CA) and decides for each request, from a seeded generator, whether to:
 *
 * - `tooManyRequests`: answer 429 with `Retry-After` without forwarding (the API server's priority and fairness);
 * - `unavailable`: answer 503 without Retry-After and without forwarding (the request did NOT happen, but the
 *   client cannot tell);
 * - `serverError`: forward, let the server carry the request out, then answer 500 (it DID happen);
 * - `lostReply`: forward, let the server complete it, then reset the client's connection instead of replying;
 * - `resetBeforeSend`: reset the client's connection without forwarding anything;
 * - `slow`: forward at once, but hold the reply back `slowMs` (a client with a shorter timeout gives up, although
 *   the server carried the request out).
 *
 * Rates are fractions of all requests (or only of the methods in `methods`), checked in the order above. Counts of
 * every fault injected are kept per fault and per method, for the figures tests print.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export const FAULTS = [
  'tooManyRequests',
  'unavailable',
  'serverError',
  'lostReply',
  'resetBeforeSend',
  'slow',
] as const;
export type Fault = (typeof FAULTS)[number];
export type FaultRates = Partial<Record<Fault, number>>;

export interface FaultProxyOptions {
  /** The API server, https://127.0.0.1:<port>. */
  upstream: string;
  /** PEM of the CA the API server's certificate is checked against. */
  ca: Buffer;
  rates: FaultRates;
  /** Same seed, same sequence of decisions (in the order requests arrive). */
  seed: number;
  /** Retry-After on injected 429s, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** How long a `slow` reply is held back. Default 6000. */
  slowMs?: number;
  /** Only requests with these methods get faults; default all. */
  methods?: readonly string[];
}

export interface FaultCounts {
  /** Requests received. */
  requests: number;
  /** Faults injected, by fault. */
  faults: Record<Fault, number>;
  /** Faults injected, by `METHOD fault`. */
  byMethod: Record<string, number>;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  counts(): FaultCounts;
  /** Change the rates from now on (e.g. none while a test sets up). */
  setRates(rates: FaultRates): void;
  close(): Promise<void>;
}

/** mulberry32: a small, fast, seeded generator; good enough to spread faults evenly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const random = seededRandom(opts.seed);
  let rates = opts.rates;
  const counts: FaultCounts = { requests: 0, faults: zeroFaults(), byMethod: {} };
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca: opts.ca });
  const upstream = new URL(opts.upstream);
  const open = new Set<Socket>();

  const choose = (method: string): Fault | undefined => {
    const roll = random();
    if (opts.methods && !opts.methods.includes(method)) return undefined;
    let edge = 0;
    for (const fault of FAULTS) {
      edge += rates[fault] ?? 0;
      if (roll < edge) return fault;
    }
    return undefined;
  };

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    counts.requests += 1;
    const method = req.method ?? 'GET';
    const fault = choose(method);
    if (fault) {
      counts.faults[fault] += 1;
      counts.byMethod[`${method} ${fault}`] = (counts.byMethod[`${method} ${fault}`] ?? 0) + 1;
    }
    const body = await readAll(req).catch(() => undefined);
    if (body === undefined) return;
    try {
      await handle(fault, req, res, body);
    } catch {
      req.socket.destroy();
    }
  };
  // onRequest never rejects: every failure ends in a destroyed socket.
  const server = http.createServer((req, res) => void onRequest(req, res));

  const handle = async (
    fault: Fault | undefined,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
  ): Promise<void> => {
    switch (fault) {
      case undefined:
      case 'lostReply':
      case 'serverError':
      case 'slow':
        break;
      case 'tooManyRequests':
        return status(res, 429, 'TooManyRequests', { 'Retry-After': String(opts.retryAfterSeconds ?? 1) });
      case 'unavailable':
        return status(res, 503, 'ServiceUnavailable', {});
      case 'resetBeforeSend':
        req.socket.destroy();
        return;
    }
    const answer = await forward(req, body, upstream, agent);
    if (fault === 'lostReply') return void req.socket.destroy();
    if (fault === 'serverError') return status(res, 500, 'InternalError', {});
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, opts.slowMs ?? 6000));
    if (res.destroyed || req.socket.destroyed) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };

  server.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    setRates: (next) => void (rates = next),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

interface Answer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

/** The request as received, to the API server; its whole answer back. */
function forward(req: http.IncomingMessage, body: Buffer, upstream: URL, agent: https.Agent): Promise<Answer> {
  const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host };
  delete headers.connection;
  return new Promise((resolve, reject) => {
    const up = https.request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent },
      (res) => {
        readAll(res).then((data) => {
          const out: http.OutgoingHttpHeaders = { ...res.headers };
          delete out.connection;
          delete out['transfer-encoding'];
          out['content-length'] = String(data.length);
          resolve({ status: res.statusCode ?? 502, headers: out, body: data });
        }, reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function status(res: http.ServerResponse, code: number, reason: string, headers: Record<string, string>): void {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason,
    code,
    message: 'injected',
  });
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
}

function zeroFaults(): Record<Fault, number> {
  return Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
}

/**
 * The HTTP face of `roster serve`: /metrics for Prometheus, /healthz and /readyz for the kubelet, and the optional
 * POST /webhook that asks for an immediate fetch. Plain node:http: four routes need no framework.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RosterError, ExitCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { ServeMetrics } from './metrics.js';
import { verifyWebhook, WebhookVerdict } from './webhook.js';

/** Bodies above this are refused (413) before any HMAC work: push payloads are far smaller. */
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export interface Readiness {
  ready: boolean;
  /** Why not ready, or the role when ready (`leader`, `standby`). */
  detail: string;
}

export interface HttpServerOptions {
  /** `:8080`, `127.0.0.1:9090` or `0` for any free port (tests). */
  listen: string;
  metrics: ServeMetrics;
  readiness: () => Readiness;
  log: Logger;
  /** Both set: POST /webhook is enabled. */
  webhook?: { secret: string; trigger: (reason: string) => void };
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export class ListenError extends RosterError {
  constructor(listen: string, cause: unknown) {
    super('ListenError', `--listen ${listen}: cannot listen: ${(cause as Error).message ?? String(cause)}`, {
      data: { listen },
      cause,
      exitCode: ExitCode.usage,
    });
  }
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    route(req, res, opts).catch((err: unknown) => {
      opts.log.error({ path: req.url, err: (err as Error).message }, 'http handler failed');
      if (!res.headersSent) send(res, 500, 'internal error\n');
    });
  });
  const { host, port } = parseListen(opts.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new ListenError(opts.listen, err)));
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  opts.log.info({ port: bound, webhook: Boolean(opts.webhook) }, 'http server listening');
  return { port: bound, close: () => closeServer(server) };
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, opts: HttpServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (req.method === 'GET' && path === '/metrics') {
    const { contentType, body } = await opts.metrics.scrape();
    return send(res, 200, body, contentType);
  }
  if (req.method === 'GET' && path === '/healthz') return send(res, 200, 'ok\n');
  if (req.method === 'GET' && path === '/readyz') {
    const state = opts.readiness();
    return send(res, state.ready ? 200 : 503, `${state.ready ? 'ready' : 'not ready'}: ${state.detail}\n`);
  }
  if (path === '/webhook' && opts.webhook) {
    if (req.method !== 'POST') return send(res, 405, 'use POST\n');
    return handleWebhook(req, res, opts.webhook, opts.log);
  }
  send(res, 404, 'not found\n');
}

async function handleWebhook(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  hook: NonNullable<HttpServerOptions['webhook']>,
  log: Logger,
): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, 'payload too large\n');
  const check = verifyWebhook(req.headers, body, hook.secret);
  log.info({ style: check.style, verdict: check.verdict }, 'webhook received');
  if (check.verdict === WebhookVerdict.malformed) return send(res, 400, 'malformed signature header\n');
  if (check.verdict !== WebhookVerdict.accepted) return send(res, 401, 'signature missing or wrong\n');
  hook.trigger(`webhook (${check.style})`);
  send(res, 202, 'fetch scheduled\n');
}

/** The body, or undefined once it passes MAX_WEBHOOK_BYTES. */
async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res: http.ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function parseListen(listen: string): { host: string | undefined; port: number } {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(listen.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new ListenError(listen, new Error('expected [host]:port, e.g. :8080'));
  const host = match[1] ? match[1].replace(/^\[(.*)\]$/, '$1') : undefined;
  return { host, port };
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Prometheus and probes keep connections alive; idle ones must not hold up shutdown.
    server.closeIdleConnections();
  });
}

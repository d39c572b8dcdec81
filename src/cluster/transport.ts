/** One HTTP exchange with an API server, with a deadline. No retries, no limits: `requester.ts` adds those. */

import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { urlToHttpOptions } from 'node:url';
import type { Endpoint } from './kubeconfig.js';

/** How Roster's requests show up in audit logs. */
export const USER_AGENT = 'roster (kube-roster)';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/apis/rbac.authorization.k8s.io/v1/rolebindings?limit=500`. */
  path: string;
  body?: unknown;
  contentType?: string;
  /** Default `application/json`; LISTs also accept protobuf (see protobuf.ts). */
  accept?: string;
}

export interface HttpResponse {
  status: number;
  retryAfter?: string | undefined;
  contentType: string;
  /** The body as received. */
  raw: Buffer;
  /** The body as UTF-8 text (JSON answers). */
  readonly body: string;
}

/**
 * A request that got no HTTP answer; `code` is the network error code or TIMEOUT. `sent` is false only when the
 * connection never came up (refused, or failed while connecting or in the TLS handshake): then no byte of the
 * request reached the server, and even a write may be sent again.
 */
export class NetworkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly sent = true,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

/** Protocol, host and port of a server, worked out once per server rather than parsed from a URL per request. */
const origins = new WeakMap<URL, http.RequestOptions>();
function originOf(server: URL): http.RequestOptions {
  let origin = origins.get(server);
  if (!origin) {
    const { protocol, hostname, port } = urlToHttpOptions(server);
    origin = { protocol, hostname, ...(port ? { port } : {}) };
    origins.set(server, origin);
  }
  return origin;
}

export function send(endpoint: Endpoint, req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  const origin = originOf(endpoint.server);
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = {
    ...endpoint.headers,
    Accept: req.accept ?? 'application/json',
    'User-Agent': USER_AGENT,
  };
  if (payload !== undefined) {
    headers['Content-Type'] = req.contentType ?? 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const request = origin.protocol === 'http:' ? http.request : https.request;
  const options = { ...origin, path: req.path, method: req.method, headers, agent: endpoint.agent };
  return new Promise((resolve, reject) => {
    let connected = false;
    const r = request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(response(res, Buffer.concat(chunks))));
      res.on('error', (err) => reject(asNetworkError(err, true)));
    });
    r.on('socket', (socket: Socket) => {
      if (r.reusedSocket || !socket.connecting) connected = true;
      else socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => (connected = true));
    });
    r.setTimeout(timeoutMs, () => r.destroy(new NetworkError('TIMEOUT', `no answer within ${timeoutMs} ms`)));
    r.on('error', (err) => reject(asNetworkError(err, connected)));
    r.end(payload);
  });
}

function response(res: http.IncomingMessage, raw: Buffer): HttpResponse {
  return {
    status: res.statusCode ?? 0,
    retryAfter: header(res.headers['retry-after']),
    contentType: res.headers['content-type'] ?? '',
    raw,
    get body() {
      return raw.toString('utf8');
    },
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `connected`: the connection was up, so the request may have reached the server. */
function asNetworkError(err: Error, connected: boolean): NetworkError {
  const code = err instanceof NetworkError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ECONNRESET');
  return new NetworkError(code, err.message, connected && code !== 'ECONNREFUSED');
}

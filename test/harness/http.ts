/**
 * A tiny HTTPS client for the apiserver: enough for admin calls, readiness probes and "a real request made as
 * the user". It trusts only the cluster's own CA; it never disables certificate checks unless an external
 * kubeconfig explicitly asks for it.
 */
import { request as httpsRequest } from 'node:https';
import { ApiRequestError } from './errors.js';

/** Where and as whom to send a request. Credentials stay in here and are never printed. */
export interface Endpoint {
  cluster: string;
  server: string;
  ca?: Buffer;
  insecureSkipTlsVerify?: boolean;
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  /** Extra headers, e.g. Impersonate-User for external clusters. */
  headers?: Record<string, string | string[]>;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON when the server sent JSON, the raw text otherwise. */
  body: unknown;
}

export interface RequestOptions {
  /** Defaults to application/merge-patch+json for PATCH, application/json otherwise. */
  contentType?: string;
  /** Default 30 s. */
  timeoutMs?: number;
}

export function apiRequest(
  ep: Endpoint,
  method: string,
  path: string,
  body?: unknown,
  opts: RequestOptions = {},
): Promise<ApiResponse> {
  const url = new URL(path, ep.server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string | string[]> = { Accept: 'application/json', ...ep.headers };
  if (ep.token) headers.Authorization = `Bearer ${ep.token}`;
  if (payload !== undefined) {
    headers['Content-Type'] =
      opts.contentType ?? (method.toUpperCase() === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const what = `${method.toUpperCase()} ${url.pathname}`;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: method.toUpperCase(),
        headers,
        ca: ep.ca,
        cert: ep.cert,
        key: ep.key,
        rejectUnauthorized: !ep.insecureSkipTlsVerify,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new ApiRequestError(ep.cluster, what, err)));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: decode(Buffer.concat(chunks).toString('utf8'), res.headers['content-type']),
          }),
        );
      },
    );
    const timeoutMs = opts.timeoutMs ?? 30_000;
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new ApiRequestError(ep.cluster, what, err)));
    req.end(payload);
  });
}

function decode(text: string, contentType: string | undefined): unknown {
  if (!contentType?.includes('json') || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * A real smart-HTTP Git server for tests: node's http server in front of `git http-backend` (CGI), serving the bare
 * repositories under `root`. Optionally requires HTTP basic auth, so tests can check that credentials are sent
 * through onAuth and never leak into messages. Test-only: Roster itself never runs the git binary.
 */

import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Authorization headers seen, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export interface GitHttpOptions {
  root: string;
  /** When set, every request must carry these basic-auth credentials. */
  credentials?: { username: string; password: string };
}

export async function startGitHttpServer(opts: GitHttpOptions): Promise<GitHttpServer> {
  const authorizations: (string | undefined)[] = [];
  const expected = opts.credentials
    ? `Basic ${Buffer.from(`${opts.credentials.username}:${opts.credentials.password}`).toString('base64')}`
    : undefined;
  const server: Server = createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('unauthorized');
      return;
    }
    backend(opts.root, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function backend(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
  });
  req.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.on('close', () => writeCgi(Buffer.concat(chunks), res));
}

/** A CGI response: headers, a blank line, then the body. */
function writeCgi(out: Buffer, res: ServerResponse): void {
  let split = out.indexOf('\r\n\r\n');
  let gap = 4;
  if (split === -1) {
    split = out.indexOf('\n\n');
    gap = 2;
  }
  const headerText = out.subarray(0, Math.max(split, 0)).toString('utf8');
  let status = 200;
  for (const line of headerText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
    else res.setHeader(name, value);
  }
  res.writeHead(status);
  res.end(split === -1 ? out : out.subarray(split + gap));
}

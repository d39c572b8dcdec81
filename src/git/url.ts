/**
 * Remote repository URLs and their credentials. Credentials come from the environment (`ROSTER_GIT_TOKEN`, optionally
 * `ROSTER_GIT_USERNAME`) or from a `user:token@` part of the URL; either way they are moved out of the URL before
 * isomorphic-git sees it, handed over only through `onAuth`, and masked as `***` in every message.
 */

import { createHash } from 'node:crypto';

export interface RemoteAuth {
  username: string;
  password: string;
}

export interface Remote {
  /** The URL without credentials: what isomorphic-git fetches and what messages show. */
  url: string;
  auth?: RemoteAuth;
  /** Secret strings to mask wherever text might leak them. */
  secrets: string[];
}

/** GitHub accepts any user name with a token as password; this one also works for GitHub App tokens. */
const DEFAULT_USERNAME = 'x-access-token';

export function isRemoteUrl(repo: string): boolean {
  return /^https?:\/\//i.test(repo);
}

/** How a remote that is not http(s) is reached, in words: `an ssh remote` (ssh:// or scp-style), `a local path`. */
export function transportOf(raw: string): string {
  if (/^ssh:\/\//i.test(raw) || /^git\+ssh:\/\//i.test(raw) || /^[^/:\s]+@[^/:\s]+:/.test(raw)) return 'an ssh remote';
  if (/^git:\/\//i.test(raw)) return 'a git:// remote';
  if (/^file:\/\//i.test(raw) || /^[./~]/.test(raw)) return 'a local path';
  if (/^[^/:\s]+:/.test(raw)) return 'an ssh remote';
  return 'not an http(s) URL';
}

export function parseRemote(raw: string, env: NodeJS.ProcessEnv = process.env): Remote {
  const url = new URL(raw);
  const fromUrl = url.password
    ? { username: decodeURIComponent(url.username) || DEFAULT_USERNAME, password: decodeURIComponent(url.password) }
    : undefined;
  const token = env.ROSTER_GIT_TOKEN;
  const fromEnv = token ? { username: env.ROSTER_GIT_USERNAME || DEFAULT_USERNAME, password: token } : undefined;
  const secrets = [url.password, decodeURIComponent(url.password), token ?? ''].filter((s) => s.length > 0);
  url.username = '';
  url.password = '';
  const auth = fromEnv ?? fromUrl;
  return { url: url.toString(), ...(auth ? { auth } : {}), secrets };
}

/** `text` with every secret replaced by `***`, and any `user:pass@` in a URL dropped. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/(https?:\/\/)[^/@\s]*:[^/@\s]*@/gi, '$1***@');
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/** The cache folder name for a remote: stable across token rotations (credentials are not part of it). */
export function cacheKey(remote: Remote): string {
  return createHash('sha256').update(remote.url).digest('hex');
}

/**
 * Remote repositories (http/https): fetched into a bare cache repository and read from there. One cache per URL
 * (credentials excluded), under `$XDG_CACHE_HOME/roster/git/<sha256(url)>` (`~/.cache/roster/git/…` when XDG_CACHE_HOME
 * is unset). The first fetch is shallow (depth 1) unless full history is asked for; later fetches only transfer
 * objects the cache lacks.
 */

import fs from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GitError } from './errors.js';
import { Repository } from './repository.js';
import { cacheKey, parseRemote, redact, type Remote } from './url.js';
import { isoGit, isoHttp } from './lib.js';

export interface RemoteOptions {
  /** Branch or tag to fetch; default: the remote's default branch. A commit id fetches the default branch's history. */
  ref?: string;
  /** Fetch the whole history (audit, diff) instead of the tip only. Default false. */
  fullHistory?: boolean;
  /** Default: `$XDG_CACHE_HOME/roster/git`. */
  cacheRoot?: string;
  env?: NodeJS.ProcessEnv;
}

export interface OpenedRemote {
  repo: Repository;
  /** The commit fetched for `ref` (or the default branch). */
  head: string;
}

/** Git's own `--unshallow` asks for this depth. */
const INFINITE_DEPTH = 0x7fffffff;
const REMOTE = 'origin';

export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'roster', 'git');
}

export async function openRemote(url: string, opts: RemoteOptions = {}): Promise<OpenedRemote> {
  const remote = parseRemote(url, opts.env);
  const gitdir = join(opts.cacheRoot ?? defaultCacheRoot(opts.env), cacheKey(remote));
  const repo = new Repository({ gitdir, label: remote.url, remote: REMOTE });
  const isCommit = opts.ref !== undefined && /^[0-9a-f]{40}$/i.test(opts.ref);
  try {
    await ensureCache(gitdir, remote.url);
    const fetched = await fetchRef(gitdir, remote, isCommit ? undefined : opts.ref, opts.fullHistory || isCommit);
    const head = await repo.resolveCommit(isCommit && opts.ref ? opts.ref : fetched);
    repo.pin(opts.ref ?? 'HEAD', head);
    return { repo, head };
  } catch (err) {
    if (err instanceof GitError) throw err;
    throw fetchFailed(remote, err);
  }
}

async function ensureCache(gitdir: string, url: string): Promise<void> {
  if (fs.existsSync(join(gitdir, 'HEAD'))) return;
  await fs.promises.mkdir(gitdir, { recursive: true });
  const git = await isoGit();
  await git.init({ fs, gitdir, bare: true });
  await git.addRemote({ fs, gitdir, remote: REMOTE, url, force: true });
}

async function fetchRef(
  gitdir: string,
  remote: Remote,
  ref: string | undefined,
  fullHistory: boolean | undefined,
): Promise<string> {
  const [git, http] = await Promise.all([isoGit(), isoHttp()]);
  const result = await git.fetch({
    fs,
    http,
    gitdir,
    remote: REMOTE,
    url: remote.url,
    ...(ref ? { ref } : {}),
    singleBranch: !fullHistory,
    tags: true,
    depth: fullHistory ? INFINITE_DEPTH : 1,
    onAuth: () => remote.auth ?? undefined,
    // A rejected token is not retried: isomorphic-git would otherwise call onAuth again with the same answer.
    onAuthFailure: () => ({ cancel: true }),
  });
  if (!result.fetchHead)
    throw new GitError('ref-not-found', `${remote.url}: nothing to fetch for "${ref ?? 'HEAD'}"`, { data: { ref } });
  return result.fetchHead;
}

function fetchFailed(remote: Remote, err: unknown): GitError {
  const detail = redact(err instanceof Error ? err.message : String(err), remote.secrets);
  const denied = /\b40[13]\b|UserCanceled/i.test(detail);
  const hint = denied && !remote.auth ? ' (set ROSTER_GIT_TOKEN for private repositories)' : '';
  return new GitError('fetch-failed', `${remote.url}: fetch failed: ${detail}${hint}`, { cause: new Error(detail) });
}

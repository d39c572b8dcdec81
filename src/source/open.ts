/**
 * Opening a source: a remote URL (cached clone), a folder inside a Git repository, or a bare repository. The result
 * names the Git view, the config folder inside it and the commit the ref resolves to. `roster diff` and
 * `roster audit` use this directly; `readSource` builds on it.
 */

import { isRemoteUrl, openLocal, openRemote, type GitSource } from '../git/index.js';
import { sourceError } from './errors.js';

export interface GitCheckout {
  git: GitSource;
  /** The config folder inside the repository ('' = root), posix separators. */
  subdir: string;
  /** The working tree folder to read with `--worktree`; undefined for remote and bare repositories. */
  worktree?: string;
  remote: boolean;
}

export interface OpenOptions {
  /** Remote only: the ref to fetch. */
  ref?: string;
  /** Remote only: fetch the whole history, not just the tip. */
  fullHistory?: boolean;
  cacheDir?: string;
}

/** Undefined when `repo` is a folder outside any Git repository. */
export async function openGit(repo: string, opts: OpenOptions = {}): Promise<GitCheckout | undefined> {
  if (isRemoteUrl(repo)) {
    const { repo: git } = await openRemote(repo, {
      ...(opts.ref ? { ref: opts.ref } : {}),
      ...(opts.fullHistory ? { fullHistory: true } : {}),
      ...(opts.cacheDir ? { cacheRoot: opts.cacheDir } : {}),
    });
    return { git, subdir: '', remote: true };
  }
  const local = await openLocal(repo);
  if (!local) return undefined;
  return { git: local.repo, subdir: local.subdir, ...(local.bare ? {} : { worktree: repo }), remote: false };
}

/** Like `openGit`, but a folder outside Git is an error: diff and audit need history. */
export async function requireGit(repo: string, opts: OpenOptions = {}): Promise<GitCheckout> {
  const checkout = await openGit(repo, opts);
  if (!checkout)
    throw sourceError('not-a-repository', `${repo}: not inside a Git repository; this command reads history`, {
      data: { repo },
    });
  return checkout;
}

/**
 * The source stage. Config comes from the tree of a resolved commit, never from the working tree, so an uncommitted
 * edit cannot reach a cluster; `worktree: true` opts into the files on disk for local editing. A folder outside any
 * Git repository is read from disk with a warning that no commit stands behind it.
 */

import type { DocumentCache } from '../load/cache.js';
import { readRepoDir } from '../load/dir.js';
import type { SourceFile } from '../load/types.js';
import { UsageError } from '../errors.js';
import { readCommitFiles } from './commit.js';
import { reasonOf } from './errors.js';
import { configFilesOf, readFiles, sameFiles } from './files.js';
import { openGit, type GitCheckout } from './open.js';
import type { SourceOptions, SourceSnapshot } from './types.js';

export type { SourceOptions, SourceSnapshot, VerifyOptions } from './types.js';
export { openGit, requireGit, type GitCheckout } from './open.js';
export { readCommitFiles } from './commit.js';
export { SourceReasons, type SourceReason, reasonOf } from './errors.js';

/**
 * Reads the config files a command works on. With a document cache, committed files whose blob it holds are
 * not read: they come back as their cached documents (files on disk are always read, and looked up by content).
 */
export async function readSource(opts: SourceOptions): Promise<SourceSnapshot>;
export async function readSource(opts: SourceOptions, cache: DocumentCache): Promise<SourceSnapshot<SourceFile>>;
export async function readSource(opts: SourceOptions, cache?: DocumentCache): Promise<SourceSnapshot<SourceFile>> {
  checkOptions(opts);
  const checkout = await openGit(opts.repo, {
    ...(opts.ref ? { ref: opts.ref } : {}),
    ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
  });
  if (!checkout)
    return readFolder(opts.repo, `${opts.repo}: not inside a Git repository; no commit stands behind these files`);
  const head = await resolveHead(checkout, opts);
  if (opts.worktree && checkout.worktree) return readWorktree(checkout.worktree, checkout, head);
  if (!head)
    return readFolder(
      opts.repo,
      `${opts.repo}: the repository has no commits yet; no commit stands behind these files`,
    );
  // Loaded only when asked for: openpgp is large, and most runs verify nothing.
  const signer = opts.verify
    ? await (await import('./verify/index.js')).verifyRef(checkout.git, opts.ref ?? 'HEAD', head, opts.verify)
    : undefined;
  const files = cache
    ? await readCommitFiles(checkout, head, opts.repo, cache)
    : await readCommitFiles(checkout, head, opts.repo);
  return {
    label: `${opts.repo}@${opts.ref ?? 'HEAD'}`,
    files,
    commit: head,
    warnings: [],
    ...(signer ? { signer } : {}),
  };
}

function checkOptions(opts: SourceOptions): void {
  if (opts.worktree && opts.ref)
    throw new UsageError('--worktree reads the files on disk; it cannot be combined with --ref');
  if (opts.worktree && opts.verify)
    throw new UsageError('--worktree reads unsigned files on disk; it cannot be combined with signature verification');
}

/** The commit `ref` names; undefined only for a repository without commits when no ref was asked for. */
async function resolveHead(checkout: GitCheckout, opts: SourceOptions): Promise<string | undefined> {
  try {
    return await checkout.git.resolveCommit(opts.ref ?? 'HEAD');
  } catch (err) {
    if (!opts.ref && reasonOf(err) === 'ref-not-found' && checkout.worktree) return undefined;
    throw err;
  }
}

async function readFolder(dir: string, warning: string): Promise<SourceSnapshot> {
  return { label: dir, files: await readRepoDir(dir), warnings: [warning] };
}

/** The files on disk; stamped with HEAD only when they are exactly HEAD's files. */
async function readWorktree(dir: string, checkout: GitCheckout, head: string | undefined): Promise<SourceSnapshot> {
  const files = await readRepoDir(dir);
  const tree = head ? await checkout.git.treeAt(head, checkout.subdir) : undefined;
  const committed = tree ? await readFiles(checkout.git, await configFilesOf(checkout.git, tree)) : undefined;
  const label = `${dir} (working tree)`;
  if (head && committed && sameFiles(files, committed)) return { label, files, commit: head, warnings: [] };
  const at = head ? ` (HEAD is ${head.slice(0, 12)})` : '';
  return {
    label,
    files,
    warnings: [`${dir}: reading uncommitted files from the working tree; no commit stands behind them${at}`],
  };
}

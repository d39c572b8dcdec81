/** Reading the config folder of one commit. */

import type { DocumentCache } from '../load/cache.js';
import type { RepoFile, SourceFile } from '../load/types.js';
import { sourceError } from './errors.js';
import { configFilesOf, readFiles, readFilesCached } from './files.js';
import type { GitCheckout } from './open.js';

/**
 * The config files in `checkout.subdir` of `commit`'s tree. Throws SourceError `path-not-found` when absent.
 * With a document cache, files it holds are not read (see `readFilesCached`).
 */
export async function readCommitFiles(checkout: GitCheckout, commit: string, label: string): Promise<RepoFile[]>;
export async function readCommitFiles(
  checkout: GitCheckout,
  commit: string,
  label: string,
  cache: DocumentCache,
): Promise<SourceFile[]>;
export async function readCommitFiles(
  checkout: GitCheckout,
  commit: string,
  label: string,
  cache?: DocumentCache,
): Promise<SourceFile[]> {
  const tree = await checkout.git.treeAt(commit, checkout.subdir);
  if (tree === undefined) {
    const hint = checkout.worktree ? '; commit it, or pass --worktree to read uncommitted files' : '';
    throw sourceError(
      'path-not-found',
      `${label}: folder "${checkout.subdir}" is not in commit ${commit.slice(0, 12)}${hint}`,
      {
        data: { commit, path: checkout.subdir },
      },
    );
  }
  const files = await configFilesOf(checkout.git, tree);
  return cache ? readFilesCached(checkout.git, files, cache) : readFiles(checkout.git, files);
}

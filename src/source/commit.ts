/** Reading the config folder of one commit. */

import type { RepoFile } from '../load/types.js';
import { sourceError } from './errors.js';
import { configFilesOf, readFiles } from './files.js';
import type { GitCheckout } from './open.js';

/** The config files in `checkout.subdir` of `commit`'s tree. Throws SourceError `path-not-found` when absent. */
export async function readCommitFiles(checkout: GitCheckout, commit: string, label: string): Promise<RepoFile[]> {
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
  return readFiles(checkout.git, await configFilesOf(checkout.git, tree));
}

/**
 * Walking history for `roster audit`: the first-parent chain from a commit back in time, the way `git log
 * --first-parent` shows what landed on a branch (a merged pull request is its merge commit). Each step also carries
 * the tree id of the config folder, so unchanged configs are skipped without reading a single file.
 */

import type { CommitInfo, GitSource } from '../git/index.js';
import { reasonOf } from '../source/errors.js';

export interface HistoryStep {
  commit: CommitInfo;
  /** Tree id of the config folder; undefined when the folder does not exist in that commit. */
  tree: string | undefined;
}

export interface HistoryWindow {
  /** Oldest first. */
  steps: HistoryStep[];
  /** The newest commit before `since`: the state the window starts from (not reported itself). */
  baseline?: HistoryStep;
  /** The walk stopped at a commit missing from a shallow clone. */
  truncated: boolean;
}

export async function firstParentHistory(
  git: GitSource,
  head: string,
  subdir: string,
  since?: Date,
): Promise<HistoryWindow> {
  const commits: CommitInfo[] = [];
  let truncated = false;
  let baseline: CommitInfo | undefined;
  for (let oid: string | undefined = head; oid;) {
    const commit = await readOrUndefined(git, oid);
    if (!commit) {
      truncated = true;
      break;
    }
    if (since && commit.committer.date < since) {
      baseline = commit;
      break;
    }
    commits.push(commit);
    oid = commit.parents[0];
  }
  // Commits must be read one after another (each names its parent); their trees can be read all at once.
  const withTrees = (list: CommitInfo[]) =>
    Promise.all(list.map(async (commit) => ({ commit, tree: await git.treeAt(commit.oid, subdir) })));
  const [steps, base] = await Promise.all([withTrees(commits.reverse()), withTrees(baseline ? [baseline] : [])]);
  return { steps, ...(base[0] ? { baseline: base[0] } : {}), truncated };
}

/** The newest first-parent ancestor of `head` (or `head` itself) committed at or before `at`. */
export async function commitAt(
  git: GitSource,
  head: string,
  subdir: string,
  at: Date,
): Promise<HistoryStep | undefined> {
  let oid: string | undefined = head;
  while (oid) {
    const commit: CommitInfo = await git.readCommit(oid);
    if (commit.committer.date <= at) return { commit, tree: await git.treeAt(commit.oid, subdir) };
    oid = commit.parents[0];
  }
  return undefined;
}

async function readOrUndefined(git: GitSource, oid: string): Promise<CommitInfo | undefined> {
  try {
    return await git.readCommit(oid);
  } catch (err) {
    if (reasonOf(err) === 'history-truncated') return undefined;
    throw err;
  }
}

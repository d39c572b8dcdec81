/** Which files of a tree are config, and reading them from a commit. */

import type { GitSource, TreeFile } from '../git/index.js';
import { isConfigPath } from '../load/dir.js';
import type { RepoFile } from '../load/types.js';

/** The config files of a tree with their blob oids, sorted by path. */
export async function configFilesOf(git: GitSource, tree: string): Promise<TreeFile[]> {
  return (await git.listTree(tree)).filter((f) => isConfigPath(f.path));
}

export async function readFiles(git: GitSource, files: readonly TreeFile[]): Promise<RepoFile[]> {
  return Promise.all(files.map(async (f) => ({ path: f.path, text: await git.readText(f.oid) })));
}

export function sameFiles(a: readonly RepoFile[], b: readonly RepoFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]?.path && f.text === b[i]?.text);
}

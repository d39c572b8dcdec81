/** Which files of a tree are config, and reading them from a commit. */

import type { GitSource, TreeFile } from '../git/index.js';
import type { DocumentCache } from '../load/cache.js';
import { isConfigPath } from '../load/dir.js';
import type { RepoFile, SourceFile } from '../load/types.js';

/** The config files of a tree with their blob oids, sorted by path. */
export async function configFilesOf(git: GitSource, tree: string): Promise<TreeFile[]> {
  return (await git.listTree(tree)).filter((f) => isConfigPath(f.path));
}

export async function readFiles(git: GitSource, files: readonly TreeFile[]): Promise<RepoFile[]> {
  return Promise.all(files.map((f) => readFile(git, f)));
}

async function readFile(git: GitSource, f: TreeFile): Promise<RepoFile> {
  const text = await git.readText(f.oid);
  return f.link ? { path: f.path, text, blob: f.oid, link: text } : { path: f.path, text, blob: f.oid };
}

/** Like `readFiles`, but a blob the document cache holds is not read: its cached documents stand in for it. */
export async function readFilesCached(
  git: GitSource,
  files: readonly TreeFile[],
  cache: DocumentCache,
): Promise<SourceFile[]> {
  return Promise.all(
    files.map(async (f): Promise<SourceFile> => {
      const documents = f.link ? undefined : cache.get(f.oid);
      return documents ? { path: f.path, blob: f.oid, documents } : readFile(git, f);
    }),
  );
}

export function sameFiles(a: readonly RepoFile[], b: readonly RepoFile[]): boolean {
  return (
    a.length === b.length && a.every((f, i) => f.path === b[i]?.path && f.text === b[i]?.text && f.link === b[i]?.link)
  );
}

/** Finding the Git repository a folder belongs to. */

import fs from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Repository } from './repository.js';

export interface LocalRepository {
  repo: Repository;
  /** The working tree root, or the bare repository itself. */
  root: string;
  /** Where `dir` sits inside the repository, posix separators, '' for the root. */
  subdir: string;
  bare: boolean;
}

/**
 * The repository enclosing `dir` (found upward like `git rev-parse --show-toplevel`), or a bare repository at `dir`;
 * undefined when `dir` is in no repository.
 */
export function openLocal(dir: string): Promise<LocalRepository | undefined> {
  // Synchronous reads of a few small files; a promise still, so a failure is a rejection as before.
  try {
    return Promise.resolve(findLocal(dir));
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

function findLocal(dir: string): LocalRepository | undefined {
  const abs = resolve(dir);
  if (isBareRepository(abs))
    return { repo: new Repository({ gitdir: abs, label: dir }), root: abs, subdir: '', bare: true };
  const root = findRoot(abs);
  if (!root) return undefined;
  const subdir = relative(root, abs).split(sep).join('/');
  return { repo: new Repository({ ...linkedWorktree(gitdirOf(root)), label: root }), root, subdir, bare: false };
}

/** The nearest folder at or above `dir` holding a `.git` (folder or file), as isomorphic-git's findRoot. */
function findRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (fs.existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * A linked worktree (`git worktree add`) has its own HEAD in its private gitdir, while objects and refs live in the
 * main repository's, named by the `commondir` file. isomorphic-git knows one gitdir only: give it the common one
 * and resolve HEAD through the worktree's own HEAD file.
 */
function linkedWorktree(gitdir: string): { gitdir: string; head?: string } {
  const commondir = join(gitdir, 'commondir');
  if (!fs.existsSync(commondir)) return { gitdir };
  const common = resolve(gitdir, fs.readFileSync(commondir, 'utf8').trim());
  const head = fs.readFileSync(join(gitdir, 'HEAD'), 'utf8').trim();
  return { gitdir: common, head: head.startsWith('ref:') ? head.slice(4).trim() : head };
}

function isBareRepository(dir: string): boolean {
  return (
    !fs.existsSync(join(dir, '.git')) &&
    fs.existsSync(join(dir, 'HEAD')) &&
    fs.existsSync(join(dir, 'objects')) &&
    fs.existsSync(join(dir, 'refs'))
  );
}

/** `.git` is a folder, or (submodules) a file saying `gitdir: <path>`. */
export function gitdirOf(root: string): string {
  const dotGit = join(root, '.git');
  if (fs.statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim() ?? dotGit;
  return isAbsolute(pointer) ? pointer : resolve(dirname(dotGit), pointer);
}

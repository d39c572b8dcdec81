/**
 * Writing one change as one commit in a working copy, for commands that edit the config repository (`roster review
 * attest`). Refuses anything that would mix the change with someone else's work: other staged files, or a target
 * file that already differs from HEAD.
 */

import fs from 'node:fs';
import { ExitCode, RosterError } from '../errors.js';
import type { Author } from './write.js';
import { isoGit } from './lib.js';

/** The working copy holds changes a committing command would mix with its own. Exit 2; nothing was written. */
export class CommitRefusedError extends RosterError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('CommitRefusedError', message, { data, exitCode: ExitCode.invalidConfig });
  }
}

export interface CommitFileOptions {
  /** The working tree root (LocalRepository.root). */
  root: string;
  /** Relative to root, posix separators. */
  file: string;
  /** The new content of `file`. */
  content: string;
  message: string;
  author: Author;
  date: Date;
}

/** Fails unless `file` is committed and unchanged, and nothing else is staged: then the commit holds only our edit. */
export async function assertCleanForEdit(root: string, file: string): Promise<void> {
  if (!fs.existsSync(`${root}/.git`) || !fs.statSync(`${root}/.git`).isDirectory())
    throw new CommitRefusedError(
      `${root}: committing is supported in a plain working copy only (not a linked worktree or submodule)`,
    );
  const git = await isoGit();
  const matrix = await git.statusMatrix({ fs, dir: root });
  for (const [path, head, workdir, stage] of matrix) {
    if (path === file && (head !== 1 || workdir !== 1 || stage !== 1))
      throw new CommitRefusedError(`${file}: has uncommitted changes; commit or stash them first`);
    if (path !== file && stage !== head && !(head === 1 && stage === 1))
      throw new CommitRefusedError(
        `${path}: is staged; commit or unstage it first, so the review commit holds only the review`,
      );
  }
}

/** Writes the file, stages it alone and commits it with `author` as author and committer. Returns the commit id. */
export async function commitFile(opts: CommitFileOptions): Promise<string> {
  await assertCleanForEdit(opts.root, opts.file);
  const path = `${opts.root}/${opts.file}`;
  const tmp = `${path}.roster-tmp`;
  fs.writeFileSync(tmp, opts.content);
  fs.renameSync(tmp, path);
  const git = await isoGit();
  await git.add({ fs, dir: opts.root, filepath: opts.file });
  const person = { ...opts.author, timestamp: Math.floor(opts.date.getTime() / 1000), timezoneOffset: 0 };
  return git.commit({ fs, dir: opts.root, message: opts.message, author: person, committer: person });
}

/** `user.name` / `user.email` from the repository's Git config, when both are set. */
export async function configuredAuthor(root: string): Promise<Author | undefined> {
  const git = await isoGit();
  const name = (await git.getConfig({ fs, dir: root, path: 'user.name' })) as string | undefined;
  const email = (await git.getConfig({ fs, dir: root, path: 'user.email' })) as string | undefined;
  return name && email ? { name, email } : undefined;
}

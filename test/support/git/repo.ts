/**
 * Temporary Git repositories for tests and benchmarks, written with isomorphic-git (no git binary): write files,
 * commit as a given author at a given time (optionally signed), tag, branch and revert.
 */

import fs from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import git, { type SignCallback } from 'isomorphic-git';

export interface Author {
  name: string;
  email: string;
}

export interface CommitOptions {
  message: string;
  author?: Author;
  /** Default: one minute after the previous commit made through this object, from 2025-01-01. */
  date?: Date;
  onSign?: SignCallback;
  signingKey?: string;
}

export const ALICE_AUTHOR: Author = { name: 'Ada Admin', email: 'ada@example.com' };

export class TestRepo {
  private clock = Date.parse('2025-01-01T00:00:00Z');

  private constructor(readonly dir: string) {}

  static async create(prefix = 'roster-git-'): Promise<TestRepo> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    await git.init({ fs, dir, defaultBranch: 'main' });
    return new TestRepo(dir);
  }

  /** Writes (string) or deletes (null) files, relative to the repository root, and stages them. */
  async stage(files: Record<string, string | null>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      const abs = join(this.dir, path);
      if (text === null) {
        await rm(abs, { force: true });
        await git.remove({ fs, dir: this.dir, filepath: path });
      } else {
        await mkdir(dirname(abs), { recursive: true });
        await writeFile(abs, text);
        await git.add({ fs, dir: this.dir, filepath: path });
      }
    }
  }

  async commit(files: Record<string, string | null>, opts: CommitOptions): Promise<string> {
    await this.stage(files);
    const when = opts.date ?? new Date((this.clock += 60_000));
    const author = {
      ...(opts.author ?? ALICE_AUTHOR),
      timestamp: Math.floor(when.getTime() / 1000),
      timezoneOffset: 0,
    };
    return git.commit({
      fs,
      dir: this.dir,
      message: opts.message,
      author,
      committer: author,
      ...(opts.onSign ? { onSign: opts.onSign, signingKey: opts.signingKey ?? 'test-key' } : {}),
    });
  }

  /** Undoes `oid`'s changes (against its first parent) in a new commit, like `git revert --no-edit`. */
  async revert(oid: string, opts: Omit<CommitOptions, 'message'> & { message?: string }): Promise<string> {
    const { commit } = await git.readCommit({ fs, dir: this.dir, oid });
    const parent = commit.parent[0];
    if (!parent) throw new Error('cannot revert a root commit');
    const before = await this.snapshot(parent);
    const after = await this.snapshot(oid);
    const changes: Record<string, string | null> = {};
    for (const path of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(path) !== after.get(path)) changes[path] = before.get(path) ?? null;
    }
    const subject = commit.message.split('\n')[0] ?? '';
    return this.commit(changes, {
      ...opts,
      message: opts.message ?? `Revert "${subject}"\n\nThis reverts commit ${oid}.\n`,
    });
  }

  async tag(
    name: string,
    opts: { message?: string; onSign?: SignCallback; signingKey?: string; ref?: string } = {},
  ): Promise<void> {
    const ref = opts.ref ?? 'HEAD';
    if (opts.message === undefined) {
      await git.tag({ fs, dir: this.dir, ref: name, object: await git.resolveRef({ fs, dir: this.dir, ref }) });
      return;
    }
    const tagger = { ...ALICE_AUTHOR, timestamp: Math.floor(this.clock / 1000), timezoneOffset: 0 };
    await git.annotatedTag({
      fs,
      dir: this.dir,
      ref: name,
      message: opts.message,
      object: await git.resolveRef({ fs, dir: this.dir, ref }),
      tagger,
      ...(opts.onSign ? { onSign: opts.onSign, signingKey: opts.signingKey ?? 'test-key' } : {}),
    });
  }

  async branch(name: string, opts: { checkout?: boolean } = {}): Promise<void> {
    await git.branch({ fs, dir: this.dir, ref: name, checkout: opts.checkout ?? false });
  }

  async checkout(ref: string): Promise<void> {
    await git.checkout({ fs, dir: this.dir, ref, force: true });
  }

  async head(): Promise<string> {
    return git.resolveRef({ fs, dir: this.dir, ref: 'HEAD' });
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async snapshot(oid: string): Promise<Map<string, string>> {
    const files = await git.listFiles({ fs, dir: this.dir, ref: oid });
    const entries = await Promise.all(
      files.map(async (filepath) => {
        const { blob } = await git.readBlob({ fs, dir: this.dir, oid, filepath });
        return [filepath, Buffer.from(blob).toString('utf8')] as const;
      }),
    );
    return new Map(entries);
  }
}

/**
 * Writing to a repository on disk: a commit of changed files on a new branch, and pushing that branch. The commit's
 * tree is HEAD's tree with exactly those files replaced, so nothing else that happens to be staged goes into it.
 * Pushing uses the same credential handling as reading remote sources (src/git/url.ts): ROSTER_GIT_TOKEN or the URL's
 * own credentials, handed to isomorphic-git only through onAuth and masked in every message.
 */

import fs from 'node:fs';
import { GitError } from './errors.js';
import { gitdirOf } from './local.js';
import { isRemoteUrl, parseRemote, redact, transportOf, type Remote } from './url.js';
import { isoGit, isoHttp } from './lib.js';

export interface Author {
  name: string;
  email: string;
}

export interface CommitFilesOptions {
  /** The working tree root. */
  root: string;
  /** New branch, created at HEAD; HEAD then points at it, like `git switch -c`. */
  branch: string;
  /** Paths relative to `root`, posix separators; `undefined` text deletes the file. */
  files: { path: string; text: string | undefined }[];
  message: string;
  author: Author;
  /** Author and committer date. Default: now. */
  date?: Date;
}

/** Commits the files (already written to the working tree) on a new branch; returns the commit id. */
export async function commitFiles(opts: CommitFilesOptions): Promise<string> {
  const { root: dir } = opts;
  const gitdir = gitdirOf(dir);
  const git = await isoGit();
  const head = await git.resolveRef({ fs, dir, gitdir, ref: 'HEAD' });
  const exists = await git.resolveRef({ fs, dir, gitdir, ref: `refs/heads/${opts.branch}` }).catch(() => undefined);
  if (exists) throw new GitError('branch-exists', `branch ${opts.branch} already exists; choose another with --branch`);
  let tree: string | undefined = (await git.readCommit({ fs, dir, gitdir, oid: head })).commit.tree;
  for (const f of opts.files) {
    const blob =
      f.text === undefined ? undefined : await git.writeBlob({ fs, dir, gitdir, blob: Buffer.from(f.text, 'utf8') });
    tree = await replaceInTree(gitdir, tree, f.path.split('/'), blob);
  }
  const when = { timestamp: Math.floor((opts.date ?? new Date()).getTime() / 1000), timezoneOffset: 0 };
  const oid = await git.commit({
    fs,
    dir,
    gitdir,
    message: opts.message,
    author: { ...opts.author, ...when },
    committer: { ...opts.author, ...when },
    tree: tree ?? (await git.writeTree({ fs, gitdir, tree: [] })),
    parent: [head],
    ref: `refs/heads/${opts.branch}`,
  });
  await git.writeRef({ fs, dir, gitdir, ref: 'HEAD', value: `refs/heads/${opts.branch}`, symbolic: true, force: true });
  for (const f of opts.files) {
    if (f.text === undefined) await git.remove({ fs, dir, gitdir, filepath: f.path });
    else await git.add({ fs, dir, gitdir, filepath: f.path });
  }
  return oid;
}

/** A tree with the blob at `parts` replaced (or removed, for undefined); empty folders disappear, as in Git. */
async function replaceInTree(
  gitdir: string,
  tree: string | undefined,
  parts: string[],
  blob: string | undefined,
): Promise<string | undefined> {
  const git = await isoGit();
  const entries = tree ? (await git.readTree({ fs, gitdir, oid: tree })).tree : [];
  const [name, ...rest] = parts;
  if (!name) return tree;
  const others = entries.filter((e) => e.path !== name);
  const current = entries.find((e) => e.path === name);
  let entry: (typeof entries)[number] | undefined;
  if (rest.length === 0) entry = blob ? { mode: '100644', path: name, oid: blob, type: 'blob' } : undefined;
  else {
    const sub = await replaceInTree(gitdir, current?.type === 'tree' ? current.oid : undefined, rest, blob);
    entry = sub ? { mode: '040000', path: name, oid: sub, type: 'tree' } : undefined;
  }
  const next = entry ? [...others, entry] : others;
  if (next.length === 0) return undefined;
  return git.writeTree({ fs, gitdir, tree: next });
}

/** Who commits: GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL, else user.name / user.email of the repository, then global
 * config. */
export async function gitIdentity(root: string, env: NodeJS.ProcessEnv = process.env): Promise<Partial<Author>> {
  const gitdir = gitdirOf(root);
  const git = await isoGit();
  const local = async (path: string) =>
    (await git.getConfig({ fs, dir: root, gitdir, path }).catch(() => undefined)) as string | undefined;
  const global = globalConfig(env);
  const name = env.GIT_AUTHOR_NAME || (await local('user.name')) || global.name;
  const email = env.GIT_AUTHOR_EMAIL || (await local('user.email')) || global.email;
  return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

/** `[user]` name and email from ~/.gitconfig or $XDG_CONFIG_HOME/git/config (isomorphic-git reads only the repo's). */
function globalConfig(env: NodeJS.ProcessEnv): Partial<Author> {
  const home = env.HOME ?? '';
  const files = [`${env.XDG_CONFIG_HOME || `${home}/.config`}/git/config`, `${home}/.gitconfig`];
  const found: Partial<Author> = {};
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let section = '';
    for (const line of text.split('\n')) {
      const header = /^\s*\[([^\]]+)\]/.exec(line);
      if (header) section = header[1]!.trim().toLowerCase();
      const kv = /^\s*(name|email)\s*=\s*(.+?)\s*$/i.exec(line);
      if (section === 'user' && kv) found[kv[1]!.toLowerCase() as keyof Author] = kv[2]!.replace(/^"(.*)"$/, '$1');
    }
  }
  return found;
}

/** HEAD's commit id; undefined in a repository with no commit yet. */
export async function headCommit(root: string): Promise<string | undefined> {
  const git = await isoGit();
  return git.resolveRef({ fs, dir: root, gitdir: gitdirOf(root), ref: 'HEAD' }).catch(() => undefined);
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  const git = await isoGit();
  const oid = await git
    .resolveRef({ fs, dir: root, gitdir: gitdirOf(root), ref: `refs/heads/${branch}` })
    .catch(() => undefined);
  return oid !== undefined;
}

/** `remote.<name>.url` as configured (may hold credentials: pass it through `redact` before showing it). */
export async function remoteUrl(root: string, name = 'origin'): Promise<string | undefined> {
  const git = await isoGit();
  const url = (await git.getConfig({ fs, dir: root, gitdir: gitdirOf(root), path: `remote.${name}.url` })) as unknown;
  return typeof url === 'string' && url.length > 0 ? url : undefined;
}

export interface PushOptions {
  root: string;
  branch: string;
  /** Default: origin. */
  remote?: string;
  env?: NodeJS.ProcessEnv;
}

/** Pushes the branch to the remote's http(s) URL; returns the URL pushed to, without credentials. */
export async function pushBranch(opts: PushOptions): Promise<string> {
  const dir = opts.root;
  const name = opts.remote ?? 'origin';
  const yourself = `push it with git yourself: git push -u ${name} ${opts.branch}`;
  const remote = await httpRemote(dir, name, opts.env, yourself);
  const [git, http] = await Promise.all([isoGit(), isoHttp()]);
  try {
    const result = await git.push({
      fs,
      http,
      dir,
      gitdir: gitdirOf(dir),
      url: remote.url,
      ref: opts.branch,
      remoteRef: `refs/heads/${opts.branch}`,
      onAuth: () => remote.auth ?? undefined,
      onAuthFailure: () => ({ cancel: true }),
    });
    if (!result.ok) throw new Error(result.error ?? 'rejected');
    return remote.url;
  } catch (err) {
    throw new GitError(
      'push-failed',
      `${remote.url}: push of ${opts.branch} failed: ${failureDetail(err, remote)}; the commit is on branch ` +
        `${opts.branch} (nothing was pushed): run the command with --push again once that is fixed, or ${yourself}`,
      { cause: new Error(failureDetail(err, remote)) },
    );
  }
}

/**
 * Asks the remote whether it would take a push (git's receive-pack discovery, with the same credentials), so an
 * unreachable remote or a refused token is found before anything is written or committed. Returns the URL.
 */
export async function probePush(opts: Omit<PushOptions, 'branch'>): Promise<string> {
  const name = opts.remote ?? 'origin';
  const remote = await httpRemote(opts.root, name, opts.env, 'push with git yourself');
  const [git, http] = await Promise.all([isoGit(), isoHttp()]);
  try {
    await git.getRemoteInfo2({
      http,
      url: remote.url,
      forPush: true,
      // What push itself speaks: receive-pack has no protocol v2, and some servers then drop the service line.
      protocolVersion: 1,
      onAuth: () => remote.auth ?? undefined,
      onAuthFailure: () => ({ cancel: true }),
    });
    return remote.url;
  } catch (err) {
    throw new GitError('push-failed', `${remote.url}: cannot push there: ${failureDetail(err, remote)}`, {
      cause: new Error(failureDetail(err, remote)),
    });
  }
}

async function httpRemote(dir: string, name: string, env: NodeJS.ProcessEnv | undefined, yourself: string) {
  const raw = await remoteUrl(dir, name);
  if (!raw) throw new GitError('push-failed', `${dir}: no remote named "${name}" to push to; ${yourself}`);
  if (!isRemoteUrl(raw))
    throw new GitError(
      'push-failed',
      `remote ${name} (${redact(raw)}) is ${transportOf(raw)}; Roster pushes over http(s) only; ${yourself}`,
    );
  return parseRemote(raw, env);
}

/** The error's text with every credential masked, and what to set when the server wanted one it did not get. */
function failureDetail(err: unknown, remote: Remote): string {
  const detail = redact(err instanceof Error ? err.message : String(err), remote.secrets);
  const hint = /\b40[13]\b|UserCanceled/i.test(detail) && !remote.auth ? ' (set ROSTER_GIT_TOKEN)' : '';
  return `${detail}${hint}`;
}

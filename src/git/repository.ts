/** `GitSource` over a repository on disk (a working copy's `.git`, a bare repository, or a remote's cache clone). */

import { compareCodeUnits } from '../compare.js';
import fs from 'node:fs';
import { GitError } from './errors.js';
import { isoGit } from './lib.js';
import { parseTree, readLoose, readLooseRef, type RawObject, type TreeObjectEntry } from './loose.js';
import { Packs } from './pack.js';
import { parseCommit, parseTag } from './objects.js';
import type { CommitInfo, GitSource, TagInfo, TreeFile } from './types.js';

export interface RepositoryOptions {
  gitdir: string;
  /** Printed in messages; must not contain credentials. */
  label: string;
  /** For cache clones: a branch name also resolves as `<remote>/<name>`. */
  remote?: string;
  /** What HEAD names when it is not `gitdir`'s own (a linked worktree's HEAD): a ref name or a commit id. */
  head?: string;
}

const HEX = /^[0-9a-f]{4,40}$/i;
const SUFFIX = /^(.+?)((?:~\d*|\^1?)*)$/;

export class Repository implements GitSource {
  readonly label: string;
  private readonly gitdir: string;
  private readonly remote: string | undefined;
  private readonly head: string | undefined;
  /** isomorphic-git keeps parsed pack indexes here; sharing it makes every later read cheap. */
  private readonly cache = {};
  private readonly trees = new Map<string, Promise<TreeFile[]>>();
  private readonly treeObjects = new Map<string, Promise<TreeObjectEntry[]>>();
  private readonly blobs = new Map<string, Promise<string>>();
  private readonly commits = new Map<string, Promise<CommitInfo>>();
  private readonly pins = new Map<string, string>();
  private readonly packs: Packs;

  constructor(opts: RepositoryOptions) {
    this.gitdir = opts.gitdir;
    this.packs = new Packs(opts.gitdir);
    this.label = opts.label;
    this.remote = opts.remote;
    this.head = opts.head;
  }

  /** Makes `ref` resolve to `oid`: a remote cache pins the ref it just fetched (its local branch refs may be stale). */
  pin(ref: string, oid: string): void {
    this.pins.set(ref, oid);
  }

  async resolveCommit(ref: string): Promise<string> {
    const [, base = ref, suffix = ''] = SUFFIX.exec(ref) ?? [];
    let oid = this.pins.get(base) ?? (await this.peel(await this.resolveName(base), ref));
    for (const step of suffix.match(/~\d*|\^1?/g) ?? []) {
      const count = step.startsWith('~') ? Number(step.slice(1) || '1') : 1;
      for (let i = 0; i < count; i++) oid = await this.firstParent(oid, ref);
    }
    return oid;
  }

  async readTag(ref: string): Promise<TagInfo | undefined> {
    const oid = await this.resolveName(ref).catch(() => undefined);
    if (!oid) return undefined;
    const { type, text } = await this.readRaw(oid);
    if (type !== 'tag') return undefined;
    const tag = parseTag(oid, text);
    return { ...tag, commit: await this.peel(tag.commit, ref) };
  }

  readCommit(oid: string): Promise<CommitInfo> {
    return memo(this.commits, oid, async () => {
      const { type, text } = await this.readRaw(oid);
      if (type !== 'commit')
        throw new GitError('ref-not-found', `${this.label}: object ${oid} is a ${type}, not a commit`);
      return parseCommit(oid, text);
    });
  }

  async treeAt(commit: string, dir: string): Promise<string | undefined> {
    let tree = (await this.readCommit(commit)).tree;
    for (const name of dir.split('/').filter((s) => s.length > 0 && s !== '.')) {
      const entry = (await this.entries(tree)).find((e) => e.path === name && e.type === 'tree');
      if (!entry) return undefined;
      tree = entry.oid;
    }
    return tree;
  }

  listTree(tree: string): Promise<TreeFile[]> {
    return memo(this.trees, tree, async () => {
      const nested = await Promise.all(
        (await this.entries(tree)).map(async (e): Promise<TreeFile[]> => {
          if (e.type === 'tree')
            return (await this.listTree(e.oid)).map((f) => ({ ...f, path: `${e.path}/${f.path}` }));
          if (e.type !== 'blob') return [];
          return [
            e.mode === '120000' ? { path: e.path, oid: e.oid, link: true as const } : { path: e.path, oid: e.oid },
          ];
        }),
      );
      return nested.flat().sort((a, b) => compareCodeUnits(a.path, b.path));
    });
  }

  /** One tree object's entries; memoized, since `treeAt` and `listTree` both walk the same trees. */
  private entries(tree: string): Promise<TreeObjectEntry[]> {
    return memo(this.treeObjects, tree, async () => {
      const loose = this.loose(tree, 'tree');
      const parsed = loose && parseTree(loose);
      if (parsed) return parsed;
      const git = await isoGit();
      return (await git.readTree({ fs, gitdir: this.gitdir, oid: tree, cache: this.cache })).tree;
    });
  }

  readText(blob: string): Promise<string> {
    return memo(this.blobs, blob, async () => {
      const bytes =
        this.loose(blob, 'blob') ??
        (await (await isoGit()).readBlob({ fs, gitdir: this.gitdir, oid: blob, cache: this.cache })).blob;
      return Buffer.from(bytes).toString('utf8');
    });
  }

  /** An object's content when loose.ts or pack.ts can read it and it is of `type`; else isomorphic-git's to read. */
  private loose(oid: string, type: string): Buffer | undefined {
    const object = this.own(oid);
    return object?.type === type ? object.content : undefined;
  }

  private own(oid: string): RawObject | undefined {
    return readLoose(this.gitdir, oid) ?? this.packs.read(oid);
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const git = await isoGit();
    const bases = (await git.findMergeBase({ fs, gitdir: this.gitdir, oids: [a, b], cache: this.cache })) as string[];
    return bases[0];
  }

  private async resolveName(name: string): Promise<string> {
    if (name === 'HEAD' && this.head !== undefined) name = this.head;
    const candidates = this.remote && name !== 'HEAD' ? [name, `${this.remote}/${name}`] : [name];
    for (const candidate of candidates) {
      const oid =
        readLooseRef(this.gitdir, candidate) ??
        (await (await isoGit()).resolveRef({ fs, gitdir: this.gitdir, ref: candidate }).catch(() => undefined));
      if (oid) return oid;
    }
    if (HEX.test(name)) {
      const oid = await (
        await isoGit()
      )
        .expandOid({ fs, gitdir: this.gitdir, oid: name.toLowerCase(), cache: this.cache })
        .catch(() => undefined);
      if (oid) return oid;
    }
    throw new GitError('ref-not-found', `${this.label}: no branch, tag or commit named "${name}"`, {
      data: { ref: name },
    });
  }

  /** Follows annotated tags down to the commit they name. */
  private async peel(oid: string, ref: string): Promise<string> {
    for (let depth = 0; depth < 10; depth++) {
      const { type, text } = await this.readRaw(oid);
      if (type === 'commit') return oid;
      if (type !== 'tag') break;
      oid = parseTag(oid, text).commit;
    }
    throw new GitError('ref-not-found', `${this.label}: "${ref}" does not name a commit`, { data: { ref } });
  }

  private async firstParent(oid: string, ref: string): Promise<string> {
    const parent = (await this.readCommit(oid)).parents[0];
    if (!parent)
      throw new GitError('ref-not-found', `${this.label}: "${ref}" goes past the first commit`, { data: { ref } });
    return parent;
  }

  private async readRaw(oid: string): Promise<{ type: string; text: string }> {
    const own = this.own(oid);
    if (own) return { type: own.type, text: own.content.toString('utf8') };
    try {
      const git = await isoGit();
      const result = await git.readObject({ fs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache });
      return { type: result.type, text: Buffer.from(result.object as Uint8Array).toString('utf8') };
    } catch (cause) {
      throw new GitError(
        'history-truncated',
        `${this.label}: object ${oid} is not in the repository (a shallow clone?)`,
        { cause, data: { oid } },
      );
    }
  }
}

function memo<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let hit = map.get(key);
  if (!hit) {
    hit = load();
    map.set(key, hit);
    hit.catch(() => map.delete(key));
  }
  return hit;
}

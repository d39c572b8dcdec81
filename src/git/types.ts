/**
 * The narrow view of Git the rest of Roster sees. Only `src/git/` imports isomorphic-git; everything else (the source
 * stage, `roster diff`, `roster audit`, signature verification) works through `GitSource`.
 */

export interface Person {
  name: string;
  email: string;
  date: Date;
}

/** A signature and the exact bytes it signs (the object without its signature), for commits and annotated tags. */
export interface SignedPayload {
  /** Armored: `-----BEGIN PGP SIGNATURE-----` or `-----BEGIN SSH SIGNATURE-----`. */
  signature: string;
  payload: string;
}

export interface CommitInfo {
  oid: string;
  /** Tree oid of the whole commit. */
  tree: string;
  parents: string[];
  author: Person;
  committer: Person;
  message: string;
  signed?: SignedPayload;
}

export interface TagInfo {
  oid: string;
  name: string;
  /** The commit the tag points at (after peeling nested tags). */
  commit: string;
  tagger: Person;
  message: string;
  signed?: SignedPayload;
}

/** A file in a tree: path relative to the tree listed, posix separators. */
export interface TreeFile {
  path: string;
  oid: string;
  /** A symbolic link (mode 120000): the blob holds its target. */
  link?: true;
}

export interface GitSource {
  /** Where the repository lives, safe to print: a directory, or a URL with any credentials removed. */
  readonly label: string;
  /**
   * The commit a ref names: a branch, a tag (annotated tags are peeled), a full or abbreviated commit id, or `HEAD`,
   * each optionally followed by `~N` / `^` (first parents). Throws SourceError (reason `ref-not-found`).
   */
  resolveCommit(ref: string): Promise<string>;
  /** The annotated tag `ref` names, or undefined for a branch, a lightweight tag or a commit id. */
  readTag(ref: string): Promise<TagInfo | undefined>;
  readCommit(oid: string): Promise<CommitInfo>;
  /** Tree oid of the folder `dir` ('' = root) in a commit, or undefined when the commit has no such folder. */
  treeAt(commit: string, dir: string): Promise<string | undefined>;
  /** Every file below a tree, recursively, sorted by path. Memoized per tree oid. */
  listTree(tree: string): Promise<TreeFile[]>;
  /** A blob's text. Memoized per blob oid. */
  readText(blob: string): Promise<string>;
  /** The best common ancestor of two commits, for `BASE...HEAD`. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
}

/** The source stage: where config files come from (a Git commit's tree, or a plain folder). */
import type { RepoFile, SourceFile } from '../load/types.js';

export interface SourceOptions {
  /**
   * A local folder (possibly inside a Git repository, e.g. `examples/acme`), a bare repository, or an http(s) URL
   * (credentials from ROSTER_GIT_TOKEN / ROSTER_GIT_USERNAME).
   */
  repo: string;
  /** Branch, tag or commit (`HEAD~1` style suffixes allowed for local repositories). Default: HEAD. */
  ref?: string;
  /** Read uncommitted files from the working tree instead of the commit's tree. Default false. */
  worktree?: boolean;
  /** Require a valid signature on the commit (or the tag `ref` names). Default: no verification. */
  verify?: VerifyOptions;
  /** Where remote repositories are cached. Default: `$XDG_CACHE_HOME/roster/git`. */
  cacheDir?: string;
}

export interface VerifyOptions {
  /**
   * An allowed-signers file on disk: ssh-keygen `allowed_signers` lines and/or armored OpenPGP public keys. It is
   * the trust anchor, so it is read from disk (CI config, a mounted secret), never from the commit being verified.
   */
  allowedSigners: string;
  /** The time signer validity windows (valid-after / valid-before) are checked at. Default: now. */
  now?: Date;
}

/** `F`: `RepoFile` (every file read), or `SourceFile` when a document cache was given (cached files not read). */
export interface SourceSnapshot<F extends SourceFile = RepoFile> {
  /** Human label for reports: the folder, or url@ref. */
  label: string;
  files: F[];
  /** The resolved commit, when the files come from Git. */
  commit?: string;
  /** E.g. "no commit stands behind this folder". */
  warnings: string[];
  /** Who signed the commit or tag, when verification was asked for. */
  signer?: string;
}

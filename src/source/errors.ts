/**
 * Why the source stage refused: one stable `reason` per failure, carried in `SourceError.data.reason` so scripts and
 * tests match on it rather than on wording. Messages never contain credentials (see src/git/url.ts `redact`).
 */

import { SourceError } from '../errors.js';
import { GitError } from '../git/errors.js';

export const SourceReasons = [
  /** The folder is not a Git repository and a commit was required (e.g. `roster diff`, `roster audit`). */
  'not-a-repository',
  /** A branch, tag or commit that does not exist. */
  'ref-not-found',
  /** The config folder is missing from the commit's tree. */
  'path-not-found',
  /** Cloning or fetching a remote repository failed. */
  'fetch-failed',
  /** History needed for the answer is not in a shallow clone. */
  'history-truncated',
  /** Verification is required and the commit (and tag) carry no signature. */
  'unsigned',
  /** Signed, but by a key that is not in the allowed signers. */
  'unknown-signer',
  /** Signed by an allowed key outside its valid-after / valid-before window. */
  'expired-signer',
  /** A signature that does not verify against its payload. */
  'bad-signature',
  /** A signature format or key type Roster cannot check. */
  'unsupported-signature',
  /** The allowed signers list is missing or unreadable. */
  'allowed-signers',
  /** From Git: a command that commits was asked to create a branch that exists. */
  'branch-exists',
  /** From Git: pushing a branch failed (no http(s) remote, rejected, unauthorized). */
  'push-failed',
] as const;
export type SourceReason = (typeof SourceReasons)[number];

export function sourceError(
  reason: SourceReason,
  message: string,
  opts: { cause?: unknown; data?: Record<string, unknown> } = {},
): SourceError {
  return new SourceError(message, { ...opts, data: { reason, ...opts.data } });
}

/** The reason of a source-stage failure, whether the source stage or Git (a `GitError`) raised it. */
export function reasonOf(err: unknown): SourceReason | undefined {
  if (err instanceof GitError) return err.reason;
  if (!(err instanceof SourceError)) return undefined;
  return err.data.reason as SourceReason | undefined;
}

/**
 * Why Git could not give Roster what it asked for: one stable `reason` per failure, in `GitError.data.reason`.
 * The source stage passes these through (see `reasonOf` in src/source/errors.ts). Messages never contain
 * credentials (src/git/url.ts `redact`).
 */
import { ExitCode, RosterError } from '../errors.js';

export const GitReasons = [
  /** A branch, tag or commit that does not exist. */
  'ref-not-found',
  /** Cloning or fetching a remote repository failed. */
  'fetch-failed',
  /** History needed for the answer is not in a shallow clone. */
  'history-truncated',
  /** A command that commits was asked to create a branch that exists. */
  'branch-exists',
  /** Pushing a branch failed (no http(s) remote, rejected, unauthorized). */
  'push-failed',
] as const;
export type GitReason = (typeof GitReasons)[number];

/** Git refused or failed: a missing ref, a failed fetch, truncated history. Exit 2, like every source problem. */
export class GitError extends RosterError {
  declare readonly data: { reason: GitReason } & Record<string, unknown>;

  constructor(reason: GitReason, message: string, opts: { cause?: unknown; data?: Record<string, unknown> } = {}) {
    super('GitError', message, { ...opts, data: { reason, ...opts.data }, exitCode: ExitCode.invalidConfig });
  }

  get reason(): GitReason {
    return this.data.reason;
  }
}

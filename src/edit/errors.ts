/**
 * The edit stage refused: the request is malformed or ambiguous, the tree is dirty, the edited config would be
 * invalid, or the commit / push asked for cannot be made. Every one is checked before a byte is written.
 */

import { ExitCode, RosterError } from '../errors.js';

export const EditReasons = [
  /** A subject, role, cluster, duration or date that does not describe valid access. */
  'invalid-request',
  'ambiguous-team',
  'not-a-member',
  'team-exists',
  'dirty-worktree',
  'not-editable',
  'policy',
  'invalid-result',
  /** --commit / --push cannot be done here (no Git repository, no identity, branch taken, no http(s) remote). */
  'cannot-commit',
] as const;
export type EditReason = (typeof EditReasons)[number];

/** Exit 2 like invalid config: nothing was written. */
export class EditError extends RosterError {
  readonly reason: EditReason;
  constructor(reason: EditReason, message: string, data: Record<string, unknown> = {}) {
    super('EditError', message, { data: { reason, ...data }, exitCode: ExitCode.invalidConfig });
    this.reason = reason;
  }
}

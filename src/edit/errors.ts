/** The edit stage refused: the request is ambiguous, the tree is dirty, or the edited config would be invalid. */

import { ExitCode, RosterError } from '../errors.js';

export const EditReasons = [
  'ambiguous-team',
  'not-a-member',
  'team-exists',
  'dirty-worktree',
  'not-editable',
  'policy',
  'invalid-result',
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

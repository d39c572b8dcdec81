/** Why Roster refused to mint a token. Messages name the token and the cluster, never any credential. */

import { ExitCode, RosterError } from '../errors.js';

export type TokenRefusal =
  | 'unknown'
  | 'expired'
  | 'suspended'
  | 'not-on-cluster'
  | 'too-short'
  | 'beyond-expiry'
  | 'exists'
  /** `-o` cannot take the file (a directory, a missing or read-only folder); checked before anything is minted. */
  | 'output';

/** `data.reason` says which refusal; exit 2 for what the command asked, 3 when the cluster answered out of bounds. */
export class TokenError extends RosterError {
  constructor(reason: TokenRefusal, message: string, data: Record<string, unknown> = {}) {
    const exitCode = reason === 'beyond-expiry' ? ExitCode.clusterFailed : ExitCode.usage;
    super('TokenError', message, { data: { reason, ...data }, exitCode });
  }
}

/** Why Roster refused to mint a user's kubeconfig. Messages name the user and cluster, never any credential. */

import { ExitCode, RosterError } from '../errors.js';

export type CredentialRefusal =
  'unknown-user' | 'suspended' | 'no-access' | 'system-group' | 'too-short' | 'beyond-expiry';

/**
 * Exit 2 when Git does not allow it or the request cannot be met (nothing was sent to any cluster), 3 when
 * the cluster issued something out of bounds (then nothing was written).
 */
export class CredentialError extends RosterError {
  constructor(reason: CredentialRefusal, message: string, data: Record<string, unknown> = {}) {
    const exitCode =
      reason === 'beyond-expiry'
        ? ExitCode.clusterFailed
        : reason === 'too-short'
          ? ExitCode.usage
          : ExitCode.invalidConfig;
    super('CredentialError', message, { data: { reason, ...data }, exitCode });
  }
}

/**
 * Who a user certificate says the user is, and how long it may live. Pure: the model, the user's compiled access on
 * the cluster and the clock come in as arguments.
 * - CN is the user as Git names them, with the cluster's userPrefix (as OIDC logins get it), so the bindings Roster
 *   compiled for the user match the certificate.
 * - O is exactly the groups Git gives the user: the members.groups of every Team that lists the user by name, with
 *   the cluster's groupPrefix. Nothing comes from the command line.
 * - The lifetime is the shortest of what was asked, Settings.maxUserCertLifetime, and the time left before the
 *   user's earliest expiring grant on the cluster (less a minute for clock skew).
 */

import { withPrefix } from '../access/identity.js';
import type { AccessEntry } from '../compile/types.js';
import { suspensionIndex } from '../model/suspensions.js';
import type { Cluster, Model } from '../model/types.js';
import { formatTime } from '../time.js';
import { CredentialError } from './errors.js';

/** The CertificateSigningRequest API refuses shorter lifetimes. */
export const MIN_CERT_SECONDS = 600;
/** Room for clock skew between this machine and the signer, taken off the time left before a grant expires. */
export const SKEW_SECONDS = 60;

export type LifetimeLimit = 'duration' | 'maxUserCertLifetime' | 'grant-expiry';

export interface UserCertificatePlan {
  commonName: string;
  organizations: string[];
  expirationSeconds: number;
  /** What set the lifetime. */
  limitedBy: LifetimeLimit;
  /** The earliest expiry among the user's grants on the cluster; the certificate must not outlive it. */
  grantExpiry?: Date;
}

export interface UserCertificateInput {
  model: Model;
  cluster: Cluster;
  /** The user as written in Git. */
  user: string;
  /** The compiled access entries of the cluster (desired state). */
  access: readonly AccessEntry[];
  requestedSeconds: number;
  now: Date;
}

export function planUserCertificate(input: UserCertificateInput): UserCertificatePlan {
  const { model, cluster, user, now } = input;
  const teams = model.teams.filter((t) => t.members.users.includes(user));
  if (teams.length === 0) {
    throw new CredentialError(
      'unknown-user',
      `user ${user}: no Team declares this user in members.users, so Roster will not vouch for it; ` +
        `add the user to a Team first`,
      { user },
    );
  }
  const suspensions = suspensionIndex(model, now);
  const suspended = suspensions.of('User', user);
  if (suspended) {
    throw new CredentialError(
      'suspended',
      `user ${user}: suspended by Suspension ${suspended.name} (${suspended.reason}); ` +
        `no credential is issued while it is in force`,
      { user, suspension: suspended.name },
    );
  }
  const commonName = withPrefix(user, cluster.userPrefix);
  const gitGroups = [...new Set(teams.flatMap((t) => t.members.groups))]
    .filter((g) => !suspensions.of('Group', g))
    .sort();
  const organizations = gitGroups.map((g) => withPrefix(g, cluster.groupPrefix));
  const system = organizations.find((o) => o.startsWith('system:'));
  if (system) {
    throw new CredentialError(
      'system-group',
      `user ${user}: would carry the group ${system}, ` +
        `and Roster never signs certificates for Kubernetes' system: groups`,
      { user },
    );
  }
  const reaching = input.access.filter(
    (e) =>
      (e.subject.kind === 'User' && e.subject.name === commonName) ||
      (e.subject.kind === 'Group' && organizations.includes(e.subject.name)),
  );
  if (reaching.length === 0) {
    throw new CredentialError(
      'no-access',
      `user ${user}: no active grant reaches the user on cluster ${cluster.name}; a certificate would grant nothing`,
      { user, cluster: cluster.name },
    );
  }
  return { commonName, organizations, ...lifetime(input, reaching, model.settings.maxUserCertLifetimeSeconds) };
}

function lifetime(
  input: UserCertificateInput,
  reaching: readonly AccessEntry[],
  maxSeconds: number,
): Pick<UserCertificatePlan, 'expirationSeconds' | 'limitedBy' | 'grantExpiry'> {
  const expiries = reaching.flatMap((e) => (e.expires ? [new Date(e.expires)] : []));
  const grantExpiry = expiries.length > 0 ? new Date(Math.min(...expiries.map((d) => d.getTime()))) : undefined;
  const candidates: [number, LifetimeLimit][] = [
    [input.requestedSeconds, 'duration'],
    [maxSeconds, 'maxUserCertLifetime'],
  ];
  if (grantExpiry) {
    candidates.push([Math.floor((grantExpiry.getTime() - input.now.getTime()) / 1000) - SKEW_SECONDS, 'grant-expiry']);
  }
  const [seconds, limitedBy] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  if (seconds < MIN_CERT_SECONDS) {
    const why =
      limitedBy === 'grant-expiry'
        ? `the user's access on cluster ${input.cluster.name} ends at ${formatTime(grantExpiry!)}`
        : `the lifetime is ${seconds} s`;
    throw new CredentialError(
      'too-short',
      `user ${input.user}: ${why}, less than the 10 minutes a certificate request must ask for`,
      { user: input.user },
    );
  }
  return { expirationSeconds: seconds, limitedBy, ...(grantExpiry ? { grantExpiry } : {}) };
}

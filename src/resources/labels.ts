/** Labels and annotations Roster writes on every object it manages. Ownership is decided by these alone. */

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'roster';
export const INSTANCE_LABEL = 'roster.dev/instance';
/** Which team or token a binding is for, and which role: for people running `kubectl get -l`. */
export const TEAM_LABEL = 'roster.dev/team';
export const TOKEN_LABEL = 'roster.dev/token';
export const ROLE_LABEL = 'roster.dev/role';
/**
 * On a binding compiled from a delegated file: the delegation it came from. Roster writes and prunes such
 * bindings as that delegation's ServiceAccount, so Kubernetes enforces the ceiling too.
 */
export const DELEGATION_LABEL = 'roster.dev/delegation';
/** On the ServiceAccount, ClusterRole and RoleBindings that make up a delegation's identity (written by Roster). */
export const DELEGATE_LABEL = 'roster.dev/delegate';

/** Comma-separated config files (relative to the repo root) the object was compiled from. */
export const SOURCE_ANNOTATION = 'roster.dev/source';
/** The Git commit the object was compiled from, once Git is wired in. */
export const COMMIT_ANNOTATION = 'roster.dev/commit';
/**
 * On a suspended token's ServiceAccount: the Suspension's name. Apply replaces (deletes and creates) a ServiceAccount
 * whose value differs from Git's, in either direction, so every token minted for it before stops working: on
 * suspension, and again when it is lifted (tokens minted while suspended die too).
 */
export const SUSPENDED_ANNOTATION = 'roster.dev/suspended';
/** Set to "disabled" on a live object to keep Roster from ever pruning it. */
export const PRUNE_ANNOTATION = 'roster.dev/prune';
export const PRUNE_DISABLED = 'disabled';

/** The one field manager Roster uses for server-side apply. */
export const FIELD_MANAGER = 'roster';

export function ownershipSelector(instance: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${INSTANCE_LABEL}=${instance}`;
}

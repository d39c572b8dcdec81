/** What the compiler produces: per cluster, the objects that should exist and why. Pure data, deterministic. */

import type { PolicyRule, RoleScope } from '../model/types.js';
import type { ManagedObject, Subject } from '../resources/types.js';

/** Facts about a cluster read before compiling (offline: only the name). */
export interface ClusterFacts {
  name: string;
  /** Namespace names present in the cluster. Undefined offline: patterns then stay unexpanded. */
  namespaces?: string[];
}

/** Who holds access: a team or a token. */
export interface Holder {
  kind: 'team' | 'token';
  name: string;
}

/** One row of the access tree: a subject holds a role in a scope on a cluster, through a holder. */
export interface AccessEntry {
  cluster: string;
  holder: Holder;
  subject: Subject;
  role: string;
  scope: RoleScope;
  /** The namespace for scope=namespace; undefined for cluster scope. */
  namespace?: string;
  /** A namespace pattern that could not be expanded offline. */
  pattern?: string;
  expires?: string;
  /** The Delegation whose files declared the grant; absent for the platform's own files. */
  delegation?: string;
}

/** A grant that compiled to nothing on a cluster, and why (outside its time window, namespace missing, protected). */
export interface SkippedGrant {
  cluster: string;
  holder: Holder;
  role: string;
  namespace?: string;
  reason:
    | 'not-yet-valid'
    | 'expired'
    | 'namespace-missing'
    | 'protected-namespace'
    | 'pattern-unexpanded'
    | 'no-members'
    | 'suspended'
    /** Settings review.onOverdue: suspend, and the holder's access review is overdue. */
    | 'review-overdue';
  detail: string;
  source: string;
}

export interface UpcomingExpiry {
  holder: Holder;
  role?: string;
  expires: string;
  source: string;
}

/**
 * A delegation active on a cluster: the identity its bindings are written as, and the namespaces where that
 * identity may write them (the delegation's namespaces that exist there).
 */
export interface Delegate {
  delegation: string;
  /** `system:serviceaccount:<delegationNamespace>:<name>`: the user Roster impersonates. */
  user: string;
  namespaces: string[];
}

/** A member (or token) a Suspension leaves out of a holder's bindings on every cluster. Names as written in Git. */
export interface SuspendedMember {
  holder: Holder;
  kind: 'User' | 'Group' | 'ServiceAccount' | 'AccessToken';
  name: string;
  suspension: string;
  reason: string;
  /** RFC 3339; absent = until the Suspension is removed. */
  until?: string;
  /** file:line of the Suspension. */
  source: string;
}

export interface DesiredState {
  cluster: string;
  instance: string;
  /** Delegations on this cluster, by name; absent when there are none. */
  delegates?: Delegate[];
  /** Sorted by kind order, namespace, name. */
  objects: ManagedObject[];
  access: AccessEntry[];
  skipped: SkippedGrant[];
}

export interface CompileResult {
  clusters: DesiredState[];
  /** Rules each role resolves to (extends flattened), for access views and can-i. */
  roleRules: Record<string, { scope: RoleScope; rules: PolicyRule[] }>;
  expiries: UpcomingExpiry[];
  /** Who is left out of which holder's bindings by a Suspension in force, by holder then subject. */
  suspended: SuspendedMember[];
}

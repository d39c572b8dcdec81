/**
 * RBAC as plain data, the one input of every "who has what" view: the desired state (compiled from Git) and the
 * live state (listed from a cluster) are both turned into an `RbacSnapshot`, so the access tree and `can-i`
 * evaluate them the same way and can be tested without a cluster.
 */

import type { Holder } from '../compile/types.js';
import type { PolicyRule } from '../model/types.js';
import type { Subject } from '../resources/types.js';

export interface RbacRole {
  kind: 'Role' | 'ClusterRole';
  /** Set for a Role. */
  namespace?: string;
  name: string;
  rules: PolicyRule[];
}

export interface RbacBinding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** Set for a RoleBinding. */
  namespace?: string;
  name: string;
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  subjects: Subject[];
  /** Carries this repository's ownership labels (desired bindings always do). */
  managed: boolean;
  /** The team or token it was compiled for, when known. */
  holder?: Holder;
  /** The Delegation whose files declared the grant (Roster's bindings only). */
  delegation?: string;
  /** The Roster role it was compiled for (desired state only; roleRef names carry a bounded form of it). */
  role?: string;
  /** When the grant behind it ends (desired state only). */
  expires?: string;
  /** Offline only: `namespace` is a glob pattern that still has to expand against a cluster's namespaces. */
  pattern?: boolean;
}

/** Everything RBAC-related one cluster holds (live) or should hold (desired). */
export interface RbacSnapshot {
  cluster: string;
  roles: RbacRole[];
  bindings: RbacBinding[];
}

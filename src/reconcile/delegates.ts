/**
 * Who writes what: Roster's own identity writes the platform's objects (roles, the delegations' identities, the
 * bindings from undelegated files); a binding compiled from a delegated file is written, and pruned, while
 * impersonating that delegation's ServiceAccount, so the API server's own escalation check holds it to the
 * ceiling even if validation were bypassed or wrong (KubeVela's application impersonation; Flux's
 * `spec.serviceAccountName`).
 */

import type { ClusterClient, LiveObject } from '../cluster/types.js';
import { delegateUser } from '../compile/delegations.js';
import type { Delegate } from '../compile/types.js';
import type { Settings } from '../model/types.js';
import { DELEGATE_LABEL, DELEGATION_LABEL } from '../resources/labels.js';
import type { ManagedObject } from '../resources/types.js';

export interface Writer {
  client: ClusterClient;
  /** The impersonated user; undefined for Roster's own identity. */
  user?: string;
}

export interface Writers {
  /** For creating or updating a desired object. */
  forDesired(obj: ManagedObject): Writer;
  /** For pruning a live object. */
  forLive(obj: LiveObject): Writer;
}

/** Everything as Roster itself: for callers that know of no delegations. */
export function ownWriters(client: ClusterClient): Writers {
  const own = { client };
  return { forDesired: () => own, forLive: () => own };
}

export function delegationWriters(client: ClusterClient, settings: Settings, delegates: readonly Delegate[]): Writers {
  const own: Writer = { client };
  const as = (user: string): Writer => ({ client: client.impersonate(user), user });
  const byName = new Map(delegates.map((d) => [d.delegation, d]));
  return {
    // Always as the delegation, even one not active on this cluster: its ServiceAccount then holds no rights
    // here, and the API server refuses the write, which is right.
    forDesired: (obj) => {
      const delegation = delegationOf(obj);
      return delegation === undefined ? own : as(delegateUser(settings, delegation));
    },
    // As the delegation where it still holds the namespace. A binding left in a namespace the platform took
    // away from the delegation (or of a delegation it removed) is pruned by Roster: the platform decided it.
    forLive: (obj) => {
      const delegate = byName.get(delegationOf(obj) ?? '');
      const namespace = obj.metadata.namespace;
      if (!delegate || namespace === undefined || !delegate.namespaces.includes(namespace)) return own;
      return as(delegate.user);
    },
  };
}

/** The delegation a binding came from; undefined for the platform's objects. */
export function delegationOf(obj: Pick<ManagedObject, 'kind' | 'metadata'>): string | undefined {
  if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') return undefined;
  return obj.metadata.labels?.[DELEGATION_LABEL];
}

/** One of the objects that make up a delegation's identity (ServiceAccount, ClusterRole, RoleBindings). */
export function isDelegateObject(obj: Pick<ManagedObject, 'metadata'>): boolean {
  return obj.metadata.labels?.[DELEGATE_LABEL] !== undefined;
}

/**
 * Deterministic object names. Parts are joined with ':'; a name that would exceed the limit is truncated and
 * suffixed with a short hash of the full name, so it stays stable, unique and valid (cdk8s-core names.ts style).
 */

import { createHash } from 'node:crypto';

/** Kubernetes' limit for object names (DNS subdomain / path segment). */
export const MAX_NAME_LENGTH = 253;
/** Kubernetes' limit for label values. */
export const MAX_LABEL_VALUE_LENGTH = 63;
const HASH_LENGTH = 10;

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/** `a:b:c`, or its first characters plus `-<hash>` when longer than `max`. */
export function boundedName(parts: string[], max = MAX_NAME_LENGTH): string {
  return bounded(parts.join(':'), max);
}

/** A label value of at most 63 characters; longer values are truncated with the same hash rule. */
export function boundedLabelValue(value: string): string {
  return bounded(value, MAX_LABEL_VALUE_LENGTH);
}

function bounded(full: string, max: number): string {
  if (full.length <= max) return full;
  const suffix = `-${shortHash(full)}`;
  return full.slice(0, max - suffix.length) + suffix;
}

/** The ClusterRole every role compiles to. */
export function roleObjectName(role: string): string {
  return boundedName(['roster', role]);
}

/** RoleBinding / ClusterRoleBinding name for one holder and role. */
export function bindingName(holder: { kind: 'team' | 'token'; name: string }, role: string): string {
  return boundedName(['roster', holder.kind, holder.name, role]);
}

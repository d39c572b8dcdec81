/** REST paths for the kinds Roster manages, derived from KIND_INFO. */

import { KIND_INFO, type ResourceKey } from '../resources/key.js';
import type { ManagedKind } from '../resources/types.js';

function groupVersionPrefix(kind: ManagedKind): string {
  const info = KIND_INFO[kind];
  return info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
}

/** The collection across all namespaces (or the cluster-scoped collection). */
export function collectionPath(kind: ManagedKind): string {
  return `${groupVersionPrefix(kind)}/${KIND_INFO[kind].plural}`;
}

/** Where a new object of the key's kind is POSTed: its namespace's collection, or the cluster-scoped one. */
export function createPath(key: ResourceKey): string {
  const info = KIND_INFO[key.kind];
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(key.namespace ?? '')}` : '';
  return `${groupVersionPrefix(key.kind)}${ns}/${info.plural}`;
}

export function objectPath(key: ResourceKey): string {
  const info = KIND_INFO[key.kind];
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(key.namespace ?? '')}` : '';
  return `${groupVersionPrefix(key.kind)}${ns}/${info.plural}/${encodeURIComponent(key.name)}`;
}

export function apiVersionOf(kind: ManagedKind): string {
  const info = KIND_INFO[kind];
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

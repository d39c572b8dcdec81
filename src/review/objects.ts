/** The object-level summary per cluster: what applying the newer side would create, update and delete. */

import type { DesiredState } from '../compile/types.js';
import { formatKey, keyOf } from '../resources/key.js';
import { COMMIT_ANNOTATION } from '../resources/labels.js';
import type { ManagedObject } from '../resources/types.js';
import type { ObjectSummary } from './types.js';

export function objectSummaries(before: readonly DesiredState[], after: readonly DesiredState[]): ObjectSummary[] {
  const clusters = [...new Set([...before, ...after].map((s) => s.cluster))].sort();
  return clusters.map((cluster) => summarize(cluster, byKey(before, cluster), byKey(after, cluster)));
}

function summarize(cluster: string, old: Map<string, string>, now: Map<string, string>): ObjectSummary {
  const summary: ObjectSummary = { cluster, created: [], updated: [], deleted: [] };
  for (const [key, body] of now) {
    const was = old.get(key);
    if (was === undefined) summary.created.push(key);
    else if (was !== body) summary.updated.push(key);
  }
  for (const key of old.keys()) if (!now.has(key)) summary.deleted.push(key);
  // Keys arrive in the compiler's kind order; keep it.
  return summary;
}

/** Object key → its JSON without the commit annotation (it differs on every commit and is not a change). */
function byKey(states: readonly DesiredState[], cluster: string): Map<string, string> {
  const objects = states.find((s) => s.cluster === cluster)?.objects ?? [];
  return new Map(objects.map((o) => [formatKey(keyOf(o)), JSON.stringify(withoutCommit(o))]));
}

function withoutCommit(o: ManagedObject): ManagedObject {
  const annotations = o.metadata.annotations;
  if (!annotations || !(COMMIT_ANNOTATION in annotations)) return o;
  const { [COMMIT_ANNOTATION]: _commit, ...rest } = annotations;
  return { ...o, metadata: { ...o.metadata, annotations: rest } } as ManagedObject;
}

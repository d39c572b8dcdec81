/**
 * RBAC snapshots for the access commands, one per selected cluster: desired (compiled from Git, offline) or live
 * (read from each cluster, concurrently; a cluster that cannot be read is reported, the others still answer).
 */

import type { ClusterClient } from '../cluster/types.js';
import { compile } from '../compile/index.js';
import type { ClusterFacts } from '../compile/types.js';
import type { Cluster, Model } from '../model/types.js';
import { desiredSnapshot } from './desired.js';
import { readLiveSnapshot } from './live.js';
import type { RbacSnapshot } from './types.js';

export type SnapshotResult = { cluster: Cluster; snapshot: RbacSnapshot } | { cluster: Cluster; error: Error };

/** Offline: patterns stay patterns unless `namespaces` pins the namespace names the compiler may assume exist. */
export function desiredSnapshots(model: Model, clusters: Cluster[], at: Date, namespaces?: string[]): SnapshotResult[] {
  const facts: ClusterFacts[] = clusters.map((c) => (namespaces ? { name: c.name, namespaces } : { name: c.name }));
  const result = compile(model, facts, at);
  return result.clusters.map((state) => ({
    cluster: clusters.find((c) => c.name === state.cluster)!,
    snapshot: desiredSnapshot(state, result.roleRules),
  }));
}

/** Opens a client for one declared cluster; the caller (the CLI) decides how: kubeconfig, context, limits. */
export type ClientFor = (cluster: Cluster) => Promise<ClusterClient>;

/** Live: each cluster read through a client from `clientFor`, which this closes after reading. */
export async function liveSnapshots(
  model: Model,
  clusters: Cluster[],
  clientFor: ClientFor,
): Promise<SnapshotResult[]> {
  return Promise.all(
    clusters.map(async (cluster): Promise<SnapshotResult> => {
      try {
        const client = await clientFor(cluster);
        try {
          return { cluster, snapshot: await readLiveSnapshot(client, model.settings.instance) };
        } finally {
          client.close();
        }
      } catch (err) {
        return { cluster, error: err instanceof Error ? err : new Error(String(err)) };
      }
    }),
  );
}

/**
 * RBAC snapshots for the access commands, one per selected cluster: desired (compiled from Git, offline) or live
 * (read from each cluster, concurrently; a cluster that cannot be read is reported, the others still answer).
 */

import { connect } from '../cluster/index.js';
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

export async function liveSnapshots(
  model: Model,
  clusters: Cluster[],
  kubeconfig: string | undefined,
): Promise<SnapshotResult[]> {
  return Promise.all(
    clusters.map(async (cluster): Promise<SnapshotResult> => {
      try {
        const client = await connect({
          cluster: cluster.name,
          context: cluster.context,
          ...(kubeconfig ? { kubeconfig } : {}),
        });
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

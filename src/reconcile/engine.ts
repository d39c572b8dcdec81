/**
 * The orchestrator. Per cluster it reads like the pipeline:
 *   connect → list namespaces (facts) → compile → read live (LIST per kind) → pair/diff → apply → prune → ChangeSet
 * Clusters run concurrently with a bound; whatever goes wrong in one becomes that cluster's `failed` result with
 * its cause, and no other cluster is touched by it.
 */

import { compareCodeUnits } from '../compare.js';
import pLimit from 'p-limit';
import { connect as connectCluster } from '../cluster/client.js';
import type { ClusterClient, Connect, LiveObject, RateLimit } from '../cluster/types.js';
import { compilerFor } from '../compile/index.js';
import type { ClusterFacts, CompileResult, DesiredState } from '../compile/types.js';
import type { Cluster, Model } from '../model/types.js';
import { KIND_ORDER } from '../resources/key.js';
import { ownershipSelector } from '../resources/labels.js';
import { applyPairs } from './apply.js';
import { delegationWriters } from './delegates.js';
import { sortChanges, type ChangeSet, type ClusterResult, type Mode, type RunResult } from './changes.js';
import { pairObjects } from './pair.js';
import { driftChanges, planChanges } from './preview.js';
import { scheduledRemovals } from './expiry.js';
import { pruneStage } from './prune.js';
import { decidePrune, refusalOf } from './prune-guard.js';
import { clusterStatus, failedCluster } from './status.js';
import { settlingWrites } from './writes.js';

export interface ReconcileOptions {
  mode: Mode;
  model: Model;
  /** The clusters to work on, already selected from the model. */
  clusters: readonly Cluster[];
  /** The compiler's clock: grants outside their time window compile to nothing. */
  now: Date;
  /** Default: the real client. Tests and benchmarks may wrap it. */
  connect?: Connect;
  /** Default: KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** apply: every write through the API server's dry run. */
  dryRun?: boolean;
  /** apply: lift the empty-desired-state and prune.maxPercent guards. */
  force?: boolean;
  /** apply: take over same-named objects without Roster's labels instead of reporting a conflict. */
  adopt?: boolean;
  /** Clusters worked on at once. Default 4. */
  clusterConcurrency?: number;
  /** Writes in flight at once within one cluster. Default 16. */
  writeConcurrency?: number;
  rate?: RateLimit;
  timeoutMs?: number;
  /** Called as each cluster enters a stage, and once with its result. */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  cluster: string;
  stage: 'connect' | 'read' | 'apply' | 'prune' | 'done';
  result?: ClusterResult;
}

export const ENGINE_DEFAULTS = { clusterConcurrency: 4, writeConcurrency: 16 } as const;

export async function reconcile(opts: ReconcileOptions): Promise<RunResult> {
  const limit = pLimit(opts.clusterConcurrency ?? ENGINE_DEFAULTS.clusterConcurrency);
  const sorted = [...opts.clusters].sort((a, b) => compareCodeUnits(a.name, b.name));
  // What compiles the same for every cluster (roles, holders, suspensions) is done once, not once per cluster.
  const compiler = compilerFor(opts.model, opts.now);
  const clusters = await Promise.all(
    sorted.map((cluster) =>
      limit(async () => {
        const result = await reconcileCluster(cluster, opts, compiler);
        opts.onProgress?.({ cluster: cluster.name, stage: 'done', result });
        return result;
      }),
    ),
  );
  const result: RunResult = { mode: opts.mode, dryRun: opts.mode === 'apply' && opts.dryRun === true, clusters };
  if (opts.model.commit) result.commit = opts.model.commit;
  return result;
}

type Compiler = (facts: ClusterFacts[]) => CompileResult;

async function reconcileCluster(cluster: Cluster, opts: ReconcileOptions, compiler: Compiler): Promise<ClusterResult> {
  const started = performance.now();
  const progress = (stage: ProgressEvent['stage']) => opts.onProgress?.({ cluster: cluster.name, stage });
  const instance = opts.model.settings.instance;
  let client: ClusterClient | undefined;
  try {
    // connect: credentials come from the kubeconfig context the Cluster names, never from Git.
    progress('connect');
    client = await (opts.connect ?? connectCluster)(connectOptions(cluster, opts));
    // facts (namespace names, for patterns) then compile (pure), while the live state is read: one paged LIST
    // per kind, only objects carrying this instance's ownership labels.
    progress('read');
    const [{ namespaces, desired }, live] = await Promise.all([
      compileWithFacts(client, cluster, compiler),
      readLive(client, ownershipSelector(instance)),
    ]);
    // pair and diff: pure.
    const pairs = pairObjects(desired.objects, live, { namespaces: new Set(namespaces) });
    const guard = {
      managed: live.length,
      desired: desired.objects.length,
      settings: opts.model.settings.prune,
      force: opts.force === true,
    };
    if (opts.mode === 'drift') return finish(cluster, driftChanges(pairs), undefined, client, started);
    const scheduled = scheduledRemovals(desired.skipped);
    if (opts.mode === 'plan') {
      const { verdict } = decidePrune({ pairs, scheduled, guard: { ...guard, applyFailed: false } });
      return finish(cluster, planChanges(pairs, verdict), refusalOf(verdict), client, started);
    }
    // apply: server-side apply of what differs; unchanged objects are not written.
    progress('apply');
    // Writes that fail ambiguously (the reply lost) are settled by reading the object back (writes.ts).
    // Delegated bindings are written and pruned as their delegation's ServiceAccount (delegates.ts).
    const settled = settlingWrites(client, instance);
    const write = {
      client: settled,
      writers: delegationWriters(settled, opts.model.settings, desired.delegates ?? []),
      dryRun: opts.dryRun === true,
      concurrency: opts.writeConcurrency ?? ENGINE_DEFAULTS.writeConcurrency,
    };
    const applied = await applyPairs(pairs, { ...write, adopt: opts.adopt === true, live });
    // prune: only Roster's own objects, never after a failed apply, within the guards.
    progress('prune');
    const pruned = await pruneStage({
      ...write,
      instance,
      pairs,
      removed: applied.removed,
      scheduled,
      guard: { ...guard, applyFailed: applied.failed },
    });
    return finish(cluster, [...applied.changes, ...pruned.changes], pruned.refusal, client, started);
  } catch (err) {
    return failedCluster(cluster.name, err, client?.requests() ?? {}, performance.now() - started);
  } finally {
    client?.close();
  }
}

function connectOptions(cluster: Cluster, opts: ReconcileOptions) {
  return {
    cluster: cluster.name,
    context: cluster.context,
    kubeconfig: opts.kubeconfig,
    rate: opts.rate,
    timeoutMs: opts.timeoutMs,
    maxInFlight: opts.writeConcurrency,
  };
}

async function compileWithFacts(
  client: ClusterClient,
  cluster: Cluster,
  compiler: Compiler,
): Promise<{ namespaces: string[]; desired: DesiredState }> {
  const namespaces = await client.listNamespaces();
  return { namespaces, desired: compiler([{ name: cluster.name, namespaces }]).clusters[0]! };
}

async function readLive(client: ClusterClient, selector: string): Promise<LiveObject[]> {
  const lists = await Promise.all(KIND_ORDER.map((kind) => client.list(kind, selector)));
  return lists.flat();
}

function finish(
  cluster: Cluster,
  changes: ChangeSet,
  refusal: string | undefined,
  client: ClusterClient,
  started: number,
): ClusterResult {
  const sorted = sortChanges(changes);
  return {
    name: cluster.name,
    ...clusterStatus(sorted, refusal),
    changes: sorted,
    requests: client.requests(),
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * How `roster serve` calls the reconcile engine: the same `reconcile()` the apply and drift commands use, with
 * each cluster client wrapped so that no write starts once this replica has lost the leader lease. A refused
 * write is a failed object to the engine, so it also never prunes in that cluster (its survivor rule).
 */
import { connect as connectCluster, type ClusterClient, type Connect } from '../cluster/index.js';
import { ExitCode, RosterError } from '../errors.js';
import { reconcile, type ReconcileOptions } from '../reconcile/engine.js';
import { formatKey, keyOf } from '../resources/key.js';
import type { ReconcileClusters } from './sync.js';

export interface EngineOptions {
  /** Default: KUBECONFIG, then ~/.kube/config, then the in-cluster ServiceAccount. */
  kubeconfig?: string;
  /** Default: the real client; tests may count requests through their own. */
  connect?: Connect;
}

/** A write was about to start after the leader lease was lost; another replica may be writing now. */
export class LeadershipLostError extends RosterError {
  constructor(ref: string) {
    super('LeadershipLostError', `${ref}: write not sent: this replica lost the leader lease`, {
      data: { ref },
      exitCode: ExitCode.clusterFailed,
    });
  }
}

export function engineReconciler(opts: EngineOptions = {}): ReconcileClusters {
  const connect = opts.connect ?? connectCluster;
  return (req) => {
    const options: ReconcileOptions = {
      mode: req.mode,
      model: req.model,
      clusters: req.clusters,
      now: req.now,
      connect: async (o) => leaderOnlyWrites(await connect(o), req.signal),
    };
    if (opts.kubeconfig !== undefined) options.kubeconfig = opts.kubeconfig;
    return reconcile(options);
  };
}

/** The client with create, apply and delete refused once `signal` is aborted; reads go through unchanged. */
export function leaderOnlyWrites(client: ClusterClient, signal: AbortSignal): ClusterClient {
  const guard = (ref: string): void => {
    if (signal.aborted) throw new LeadershipLostError(ref);
  };
  return {
    cluster: client.cluster,
    listNamespaces: () => client.listNamespaces(),
    list: (kind, selector) => client.list(kind, selector),
    get: (key) => client.get(key),
    create: async (obj, o) => {
      guard(formatKey(keyOf(obj)));
      return client.create(obj, o);
    },
    apply: async (obj, o) => {
      guard(formatKey(keyOf(obj)));
      return client.apply(obj, o);
    },
    delete: async (key, o) => {
      guard(formatKey(key));
      return client.delete(key, o);
    },
    impersonate: (user) => leaderOnlyWrites(client.impersonate(user), signal),
    requests: () => client.requests(),
    close: () => client.close(),
  };
}

/**
 * The narrow interface the rest of Roster sees of a Kubernetes cluster: plain data in, plain data out.
 * Only `src/cluster/` talks to `@kubernetes/client-node`; tests can satisfy this interface with a real API server.
 */

import type { PolicyRule } from '../model/types.js';
import type { ResourceKey } from '../resources/key.js';
import type { ManagedKind, ManagedObject, ObjectMeta, RoleRef, Subject } from '../resources/types.js';

/** Metadata the API server adds; Roster reads it for preconditions and ignores it when comparing. */
export interface LiveMeta extends ObjectMeta {
  uid: string;
  resourceVersion: string;
  [field: string]: unknown;
}

/** An object as read from a cluster: any of the managed kinds, with server-set fields left in place. */
export interface LiveObject {
  apiVersion: string;
  kind: ManagedKind;
  metadata: LiveMeta;
  rules?: PolicyRule[] | null;
  roleRef?: RoleRef;
  subjects?: Subject[] | null;
  /** Present on aggregated ClusterRoles: the control plane fills in their rules. */
  aggregationRule?: unknown;
}

/** HTTP requests sent to one cluster, by Kubernetes verb (`list`, `get`, `create`, `patch`, `delete`); retries included. */
export type RequestCounts = Record<string, number>;

export interface RateLimit {
  /** Sustained requests per second. Default 100. */
  qps: number;
  /** Requests allowed at once before the sustained rate applies. Default 200. */
  burst: number;
}

export interface ConnectOptions {
  /** The Roster cluster name, used in messages and reports. */
  cluster: string;
  /** The kubeconfig context to use (Cluster.spec.context). */
  context: string;
  /** A kubeconfig file; default: KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  rate?: RateLimit;
  /** Per request, including reading the response. Default 30 s. */
  timeoutMs?: number;
  /** Upper bound on requests in flight to this cluster. Default 16. */
  maxInFlight?: number;
}

export interface ApplyOptions {
  /** Send the write through the API server's dry run (`dryRun=All`): validated and authorised, never stored. */
  dryRun: boolean;
  /** Take over fields another field manager set (only ever on objects Roster owns, or when adopting). */
  force: boolean;
  /**
   * What the object must look like for the write to go through:
   * `absent`: create only; any existing object of that name makes the API server answer 409 Conflict;
   * a resource version: update only if the object is still the one Roster read.
   * Omitted: unconditional (adoption).
   */
  expect?: 'absent' | { resourceVersion: string };
}

export interface DeleteOptions {
  dryRun: boolean;
  /** The API server refuses the delete if the object changed or was replaced since it was read. */
  preconditions: { uid: string; resourceVersion: string };
}

export interface ClusterClient {
  readonly cluster: string;
  /** Names of every namespace, sorted; one paged LIST. */
  listNamespaces(): Promise<string[]>;
  /** Every object of a kind in all namespaces matching the selector; one paged LIST. */
  list(kind: ManagedKind, labelSelector: string): Promise<LiveObject[]>;
  /** One object, or undefined when it does not exist. Only for the label re-check before a delete. */
  get(key: ResourceKey): Promise<LiveObject | undefined>;
  /** Server-side apply under Roster's field manager; returns the object the server stored (or would store). */
  apply(obj: ManagedObject, opts: ApplyOptions): Promise<LiveObject>;
  /** Returns false when the object was already gone. */
  delete(key: ResourceKey, opts: DeleteOptions): Promise<boolean>;
  /** Requests sent so far, by verb. */
  requests(): RequestCounts;
  /** Frees sockets; the client must not be used afterwards. */
  close(): void;
}

/** Opens a client for one cluster; the engine receives this so tests and benchmarks can wrap or count. */
export type Connect = (opts: ConnectOptions) => Promise<ClusterClient>;

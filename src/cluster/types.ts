/**
 * The narrow interface the rest of Roster sees of a Kubernetes cluster: plain data in, plain data out.
 * Only `src/cluster/` talks to `@kubernetes/client-node`; tests can satisfy this interface with a real API server.
 */

import type { PolicyRule } from '../model/types.js';
import type { ResourceKey } from '../resources/key.js';
import type { ManagedKind, ManagedObject, ObjectMeta, RoleRef, Subject } from '../resources/types.js';
import type { Decision, RequestAttributes, UserInfo } from '../resources/authorization.js';
import type { Secret } from './secret.js';

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

export interface RateLimit {
  /** Sustained requests per second. Default 1000. */
  qps: number;
  /** Requests allowed at once before the sustained rate applies. Default 1000. */
  burst: number;
}

/** A TokenRequest's answer. */
export interface IssuedToken {
  token: Secret;
  /** What the server granted, RFC 3339; may be earlier than asked for (the server caps lifetimes). */
  expirationTimestamp: string;
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

export interface CreateOptions {
  /** Send the write through the API server's dry run (`dryRun=All`): validated and authorised, never stored. */
  dryRun: boolean;
}

export interface ApplyOptions {
  /** Send the write through the API server's dry run (`dryRun=All`): validated and authorised, never stored. */
  dryRun: boolean;
  /** Take over fields another field manager set (only ever on objects Roster owns, or when adopting). */
  force: boolean;
  /** Write only if the object is still at this resource version (the one Roster read and compared); else 409. */
  expect?: { resourceVersion: string };
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
  /**
   * Creates the object under Roster's field manager. If any object of that name exists (Roster's or not), the API
   * server answers 409 AlreadyExists: a create never takes anything over.
   */
  create(obj: ManagedObject, opts: CreateOptions): Promise<LiveObject>;
  /** Server-side apply under Roster's field manager; returns the object the server stored (or would store). */
  apply(obj: ManagedObject, opts: ApplyOptions): Promise<LiveObject>;
  /** Returns false when the object was already gone. */
  delete(key: ResourceKey, opts: DeleteOptions): Promise<boolean>;
  /**
   * The same cluster, every request sent as `user` (the `Impersonate-User` header): the API server authorises it
   * as that user, escalation checks included. Requires `impersonate` on that user (for a ServiceAccount: on
   * `serviceaccounts` in its namespace). Requests are counted with this client's; closing this client frees both.
   */
  impersonate(user: string): ClusterClient;
  /** HTTP requests sent so far, by Kubernetes verb (`list`, `get`, `create`, `patch`, `delete`); retries included. */
  requests(): Record<string, number>;
  /** Frees sockets; the client must not be used afterwards. */
  close(): void;
}

/**
 * What the access commands ask a cluster beyond managed objects (`roster token`, `can-i --live`). Kept off
 * `ClusterClient` because the reconcile engine never needs it; `connect()` returns a client with both.
 */
export interface ClusterReviews {
  /** Mints a short-lived ServiceAccount token (TokenRequest API); the token stays wrapped in a `Secret`. */
  requestToken(serviceAccount: { namespace: string; name: string }, expirationSeconds: number): Promise<IssuedToken>;
  /** Asks the API server's own authorizer (SubjectAccessReview) whether `user` may make the request. */
  reviewAccess(user: UserInfo, attrs: RequestAttributes): Promise<Decision>;
  /** CertificateSigningRequest for the kube-apiserver-client signer: created, approved, awaited, deleted. */
  signClientCertificate(req: CertificateRequest, opts: SignOptions): Promise<IssuedCertificate>;
  /** Who the client's own credentials authenticate as (SelfSubjectReview). */
  reviewSelf(): Promise<SelfSubject>;
}

/** Opens a client for one cluster; the engine receives this so tests and benchmarks can wrap or count. */
export type Connect = (opts: ConnectOptions) => Promise<ClusterClient>;

/** A CertificateSigningRequest to make for the kube-apiserver-client signer (see credentials.ts). */
export interface CertificateRequest {
  /** PEM `CERTIFICATE REQUEST`. */
  requestPem: string;
  expirationSeconds: number;
  /** Shown to cluster admins on the object while it exists (`kubectl get csr`), e.g. the Git user name. */
  annotations: Record<string, string>;
}

export interface IssuedCertificate {
  /** PEM; a credential together with its key. */
  certificate: Secret;
  /** Set when the request could not be deleted afterwards: why. */
  leftBehind?: string;
}

export interface SignOptions {
  timeoutMs: number;
  /** Why Roster approves (the approval condition's message). */
  approvalMessage: string;
  /** Between reads of the request while waiting for the signer. */
  pollMs?: number;
}

export interface SelfSubject {
  user: string;
  groups: string[];
  uid?: string;
}

/**
 * One coordination.k8s.io/v1 Lease: read it, create it, or update it only if nobody else wrote it since it was
 * read (resourceVersion). That is all leader election needs from a cluster; `serve/leader.ts` holds the logic.
 * Uses the same kubeconfig endpoint and Requester as the ClusterClient, with a short deadline and few retries:
 * a renew that cannot finish well within the lease duration is a failed renew.
 */
import { isApiError } from './errors.js';
import { endpointFor } from './kubeconfig.js';
import { Requester } from './requester.js';
import type { RetryPolicy } from './retry.js';

/** The Lease fields leader election reads and writes (times as RFC 3339 with microseconds). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  resourceVersion: string;
  spec: LeaseSpec;
}

export interface LeaseClient {
  readonly namespace: string;
  readonly name: string;
  /** Undefined when no Lease of that name exists. */
  get(): Promise<Lease | undefined>;
  /** Fails with an ApiError 409 when someone created it first. */
  create(spec: LeaseSpec): Promise<Lease>;
  /** Fails with an ApiError 409 when the Lease changed since `resourceVersion` was read. */
  update(resourceVersion: string, spec: LeaseSpec): Promise<Lease>;
  close(): void;
}

export interface LeaseClientOptions {
  /** For messages: the kubeconfig context, e.g. `home`. */
  context: string;
  kubeconfig?: string;
  namespace: string;
  name: string;
  /** Per request; default 4 s (well under the 10 s renew deadline). */
  timeoutMs?: number;
}

/** A merge patch keeps fields it does not mention: null clears the ones a new spec leaves out. */
const EMPTY_SPEC = { holderIdentity: null, leaseDurationSeconds: null, acquireTime: null, renewTime: null, leaseTransitions: null };

const LEASE_RETRY: RetryPolicy = { maxAttempts: 2, refusedAttempts: 1, baseDelayMs: 200, maxDelayMs: 500, maxRetryAfterMs: 1_000 };

export async function connectLease(opts: LeaseClientOptions): Promise<LeaseClient> {
  const endpoint = await endpointFor({ cluster: opts.context, context: opts.context, kubeconfig: opts.kubeconfig, maxSockets: 2 });
  const http = new Requester({
    cluster: opts.context,
    endpoint,
    rate: { qps: 5, burst: 5 },
    timeoutMs: opts.timeoutMs ?? 4_000,
    maxInFlight: 2,
    retry: LEASE_RETRY,
  });
  return new KubeLeaseClient(opts.namespace, opts.name, http, () => endpoint.agent.destroy());
}

interface LeaseObject {
  metadata: { resourceVersion: string };
  spec?: LeaseSpec;
}

class KubeLeaseClient implements LeaseClient {
  private readonly ref: string;

  constructor(
    readonly namespace: string,
    readonly name: string,
    private readonly http: Requester,
    private readonly onClose: () => void,
  ) {
    this.ref = `Lease/${namespace}/${name}`;
  }

  private collection(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.namespace)}/leases`;
  }

  async get(): Promise<Lease | undefined> {
    try {
      const res = await this.http.call({ verb: 'get', ref: this.ref }, { method: 'GET', path: `${this.collection()}/${encodeURIComponent(this.name)}` });
      return toLease(res.body);
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }

  async create(spec: LeaseSpec): Promise<Lease> {
    const body = this.object(spec);
    const res = await this.http.call({ verb: 'create', ref: this.ref }, { method: 'POST', path: this.collection(), body });
    return toLease(res.body);
  }

  /**
   * A merge patch that carries the resourceVersion read: the API server applies it only to that version and
   * answers 409 Conflict if the Lease moved on meanwhile (the same guarantee as a PUT).
   */
  async update(resourceVersion: string, spec: LeaseSpec): Promise<Lease> {
    const body = { metadata: { resourceVersion }, spec: { ...EMPTY_SPEC, ...spec } };
    const path = `${this.collection()}/${encodeURIComponent(this.name)}`;
    const res = await this.http.call({ verb: 'update', ref: this.ref }, { method: 'PATCH', path, body, contentType: 'application/merge-patch+json' });
    return toLease(res.body);
  }

  close(): void {
    this.onClose();
  }

  private object(spec: LeaseSpec): unknown {
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec };
  }
}

function toLease(body: string): Lease {
  const obj = JSON.parse(body) as LeaseObject;
  return { resourceVersion: obj.metadata.resourceVersion, spec: obj.spec ?? {} };
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

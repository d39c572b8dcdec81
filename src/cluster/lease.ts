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
  annotations: Record<string, string>;
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
  /** Sets one annotation, whoever holds the Lease (a standby passing a message to the leader). */
  annotate(key: string, value: string): Promise<void>;
  close(): void;
}

export interface LeaseClientOptions {
  /** The kubeconfig context of the cluster holding the Lease (also names it in messages). */
  context: string;
  kubeconfig?: string;
  namespace: string;
  name: string;
  /** Per request; default 4 s (well under the 10 s renew deadline). */
  timeoutMs?: number;
}

/** A merge patch keeps fields it does not mention: null clears the ones a new spec leaves out. */
const EMPTY_SPEC = {
  holderIdentity: null,
  leaseDurationSeconds: null,
  acquireTime: null,
  renewTime: null,
  leaseTransitions: null,
};

const LEASE_RETRY: RetryPolicy = {
  maxAttempts: 2,
  throttledAttempts: 2,
  refusedAttempts: 1,
  baseDelayMs: 200,
  maxDelayMs: 500,
  maxRetryAfterMs: 1_000,
};

/**
 * Credentials are re-read this often: a pod's projected ServiceAccount token rotates, and the elector keeps one
 * client for the life of the process.
 */
const RECONNECT_MS = 10 * 60_000;

export async function connectLease(opts: LeaseClientOptions): Promise<LeaseClient> {
  return new KubeLeaseClient(opts, await connection(opts));
}

interface Connection {
  http: Requester;
  close(): void;
  at: number;
}

async function connection(opts: LeaseClientOptions): Promise<Connection> {
  const endpoint = await endpointFor({
    cluster: opts.context,
    context: opts.context,
    kubeconfig: opts.kubeconfig,
    maxSockets: 2,
  });
  const http = new Requester({
    cluster: opts.context,
    endpoint,
    rate: { qps: 5, burst: 5 },
    timeoutMs: opts.timeoutMs ?? 4_000,
    maxInFlight: 2,
    retry: LEASE_RETRY,
  });
  return { http, close: () => endpoint.agent.destroy(), at: Date.now() };
}

interface LeaseObject {
  metadata: { resourceVersion: string; annotations?: Record<string, string> };
  spec?: LeaseSpec;
}

class KubeLeaseClient implements LeaseClient {
  readonly namespace: string;
  readonly name: string;
  private readonly ref: string;

  constructor(
    private readonly opts: LeaseClientOptions,
    private conn: Connection,
  ) {
    this.namespace = opts.namespace;
    this.name = opts.name;
    this.ref = `Lease/${opts.namespace}/${opts.name}`;
  }

  /** The current connection, renewed (credentials re-read) once it is older than RECONNECT_MS. */
  private async http(): Promise<Requester> {
    if (Date.now() - this.conn.at > RECONNECT_MS) {
      const fresh = await connection(this.opts);
      this.conn.close();
      this.conn = fresh;
    }
    return this.conn.http;
  }

  private collection(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.namespace)}/leases`;
  }

  async get(): Promise<Lease | undefined> {
    try {
      const res = await (
        await this.http()
      ).call(
        { verb: 'get', ref: this.ref },
        { method: 'GET', path: `${this.collection()}/${encodeURIComponent(this.name)}` },
      );
      return toLease(res.body);
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }

  async create(spec: LeaseSpec): Promise<Lease> {
    const body = this.object(spec);
    const res = await (
      await this.http()
    ).call({ verb: 'create', ref: this.ref }, { method: 'POST', path: this.collection(), body });
    return toLease(res.body);
  }

  /**
   * A merge patch that carries the resourceVersion read: the API server applies it only to that version and
   * answers 409 Conflict if the Lease moved on meanwhile (the same guarantee as a PUT).
   */
  async update(resourceVersion: string, spec: LeaseSpec): Promise<Lease> {
    const body = { metadata: { resourceVersion }, spec: { ...EMPTY_SPEC, ...spec } };
    const path = `${this.collection()}/${encodeURIComponent(this.name)}`;
    const res = await (
      await this.http()
    ).call(
      { verb: 'patch', ref: this.ref },
      { method: 'PATCH', path, body, contentType: 'application/merge-patch+json' },
    );
    return toLease(res.body);
  }

  async annotate(key: string, value: string): Promise<void> {
    const body = { metadata: { annotations: { [key]: value } } };
    const path = `${this.collection()}/${encodeURIComponent(this.name)}`;
    await (
      await this.http()
    ).call(
      { verb: 'patch', ref: this.ref },
      { method: 'PATCH', path, body, contentType: 'application/merge-patch+json' },
    );
  }

  close(): void {
    this.conn.close();
  }

  private object(spec: LeaseSpec): unknown {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    };
  }
}

function toLease(body: string): Lease {
  const obj = JSON.parse(body) as LeaseObject;
  return {
    resourceVersion: obj.metadata.resourceVersion,
    spec: obj.spec ?? {},
    annotations: obj.metadata.annotations ?? {},
  };
}

/**
 * The contract other tests, the demo and the benchmarks code against. Implemented for clusters this harness
 * starts itself (local.ts) and for existing clusters named by ROSTER_TEST_KUBECONFIG (external.ts).
 */
import type { AccessQuery } from './access.js';
import type { AuditEvent, AuditFilter } from './audit.js';
import type { RequestOptions } from './http.js';
import type { KubectlResult } from './kubectl.js';
import type { TestUser } from './pki.js';

export type { AccessQuery, AuditEvent, AuditFilter, KubectlResult, RequestOptions, TestUser };

export interface TestCluster {
  name: string;
  /** https://127.0.0.1:<port>; unchanged across stopApiserver()/startApiserver(). */
  server: string;
  /** base64 of the PEM the apiserver serves with (its self-signed cert and CA). */
  caData: string;
  /** From starting etcd to the `default` namespace existing and view/edit/admin aggregated; 0 for external clusters. */
  startupMs: number;
  /** Stops only the kube-apiserver (etcd keeps the data), for fault tests. */
  stopApiserver(): Promise<void>;
  /** Starts it again on the same port and waits until it is ready. */
  startApiserver(): Promise<void>;
  /** SIGSTOP to the kube-apiserver: connections are accepted by the kernel and never answered (a frozen server). */
  freezeApiserver(): Promise<void>;
  /** SIGCONT: the frozen kube-apiserver carries on where it stopped. */
  thawApiserver(): Promise<void>;
}

export interface ControlPlane {
  clusters: TestCluster[];
  /** Mode 0600; a context per cluster (admin) and `<short>@<cluster>` per user. */
  kubeconfigPath: string;
  /** Admin first (short 'admin'), then alice, bob, carol. */
  users: TestUser[];
  binDir: string;
  cluster(name: string): TestCluster;
  /** A request as admin, or as a test user (`as: 'alice'`) with that user's own credentials. */
  request(
    cluster: string,
    method: string,
    path: string,
    body?: unknown,
    opts?: { as?: string } & RequestOptions,
  ): Promise<{ status: number; body: unknown }>;
  kubectl(cluster: string, args: string[], opts?: { as?: string; input?: string }): Promise<KubectlResult>;
  waitForAccess(q: AccessQuery): Promise<void>;
  /** Completed requests from the cluster's audit log, after every request answered so far has been written. */
  auditEvents(cluster: string, filter?: AuditFilter): Promise<AuditEvent[]>;
  /** The file the cluster's API server writes its audit log to (local clusters only), e.g. for `roster usage`. */
  auditLogPath(cluster: string): string;
  /** Stops every process and removes every temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

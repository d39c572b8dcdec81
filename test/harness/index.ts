/**
 * The real Kubernetes control plane for Roster's integration tests, demo and benchmarks: N independent clusters
 * (etcd + kube-apiserver each, RBAC on, token identities, audit log), one kubeconfig, reliable teardown.
 * See docs/test-clusters.md.
 */
export { startControlPlane, type StartOptions } from './local.js';
export { connectExternalControlPlane } from './external.js';
export { contextName } from './kubeconfig.js';
export * from './errors.js';
export type {
  AccessQuery,
  AuditEvent,
  AuditFilter,
  ControlPlane,
  KubectlResult,
  RequestOptions,
  TestCluster,
  TestUser,
} from './types.js';

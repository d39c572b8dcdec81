/** The cluster stage's public face: connect, the ClusterClient interface, and its error type. */
export { connect, DEFAULTS as CLUSTER_DEFAULTS } from './client.js';
export { ApiError, isApiError } from './errors.js';
export type {
  ApplyOptions,
  ClusterClient,
  ClusterReviews,
  Connect,
  ConnectOptions,
  DeleteOptions,
  LiveMeta,
  LiveObject,
  RateLimit,
} from './types.js';
export { readClusterEntry, type ClusterEntry } from './cluster-entry.js';
export { Secret } from './secret.js';
export type { IssuedToken } from './types.js';
export { connectLease, type Lease, type LeaseClient, type LeaseClientOptions, type LeaseSpec } from './lease.js';
export { CLIENT_SIGNER } from './credentials.js';
export type { CertificateRequest, IssuedCertificate, SelfSubject } from './types.js';
export { currentContext } from './kubeconfig.js';
export { checkKubeconfig } from './kubeconfig-files.js';
export { KubeconfigError } from './errors.js';

/** The cluster stage's public face: connect, the ClusterClient interface, and its error type. */
export { connect, DEFAULTS as CLUSTER_DEFAULTS, ABSENT_RESOURCE_VERSION } from './client.js';
export { ApiError, isApiError } from './errors.js';
export type { ApplyOptions, ClusterClient, Connect, ConnectOptions, DeleteOptions, LiveMeta, LiveObject, RateLimit, RequestCounts } from './types.js';

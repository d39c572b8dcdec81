/**
 * The Kubernetes authorization API's request and answer, as plain data: who asks (`UserInfo`), what for
 * (`RequestAttributes`, a SubjectAccessReview's resource or non-resource attributes) and the `Decision`. Both the
 * offline evaluator (src/access) and the API server's answer (src/cluster, SubjectAccessReview) speak these types.
 */

/** The identity a request is made as, the way the API server sees it: prefixes already applied. */
export interface UserInfo {
  user: string;
  groups: string[];
}

/** One request, as RBAC authorizes it (a SubjectAccessReview's resourceAttributes / nonResourceAttributes). */
export type RequestAttributes = ResourceRequest | NonResourceRequest;

export interface ResourceRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Empty for a cluster-wide request (cluster-scoped resources, or "in all namespaces"). */
  namespace: string;
  name?: string;
}

export interface NonResourceRequest {
  verb: string;
  /** e.g. `/healthz`, `/metrics` */
  path: string;
}

export function isNonResource(attrs: RequestAttributes): attrs is NonResourceRequest {
  return 'path' in attrs;
}

/** An authorizer's answer, offline or from a SubjectAccessReview. */
export interface Decision {
  allowed: boolean;
  /** The binding and role that allowed the request, like a SubjectAccessReview's `reason`. */
  reason?: string;
}

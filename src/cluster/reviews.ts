/**
 * The two requests of the access views that are not about managed objects: a TokenRequest that mints a
 * short-lived ServiceAccount token, and a SubjectAccessReview that asks the API server's own authorizer.
 * Both are plain POSTs through the cluster's Requester (rate limit, retries, counts, one error type).
 */

import { isNonResource, type Decision, type RequestAttributes, type UserInfo } from '../resources/authorization.js';
import { ApiError } from './errors.js';
import type { Requester } from './requester.js';
import { Secret } from './secret.js';
import type { IssuedToken } from './types.js';

export interface TokenRequestTarget {
  cluster: string;
  namespace: string;
  /** The ServiceAccount. */
  name: string;
}

export async function requestToken(
  http: Requester,
  sa: TokenRequestTarget,
  expirationSeconds: number,
): Promise<IssuedToken> {
  const ref = `ServiceAccount/${sa.namespace}/${sa.name}`;
  const path =
    `/api/v1/namespaces/${encodeURIComponent(sa.namespace)}` + `/serviceaccounts/${encodeURIComponent(sa.name)}/token`;
  const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } };
  const res = await http.call({ verb: 'create', ref: `${ref}/token` }, { method: 'POST', path, body });
  const status = (JSON.parse(res.body) as { status?: { token?: unknown; expirationTimestamp?: unknown } }).status;
  if (typeof status?.token !== 'string' || typeof status.expirationTimestamp !== 'string') {
    // Never quote the body: it may hold the token.
    const data = {
      cluster: sa.cluster,
      status: res.status,
      reason: 'InvalidResponse',
      verb: 'create',
      ref: `${ref}/token`,
    };
    throw new ApiError(data, 'the TokenRequest answer has no token or expiry');
  }
  return { token: new Secret(status.token), expirationTimestamp: status.expirationTimestamp };
}

export async function reviewAccess(http: Requester, user: UserInfo, attrs: RequestAttributes): Promise<Decision> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: user.user, groups: user.groups, ...attributes(attrs) },
  };
  const path = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
  const res = await http.call({ verb: 'create', ref: 'SubjectAccessReview' }, { method: 'POST', path, body });
  const status = (JSON.parse(res.body) as { status?: { allowed?: boolean; reason?: string } }).status ?? {};
  const decision: Decision = { allowed: status.allowed === true };
  if (status.reason) decision.reason = status.reason;
  return decision;
}

function attributes(attrs: RequestAttributes): Record<string, unknown> {
  if (isNonResource(attrs)) return { nonResourceAttributes: { path: attrs.path, verb: attrs.verb } };
  const resource: Record<string, string> = {
    verb: attrs.verb,
    group: attrs.group,
    resource: attrs.resource,
    namespace: attrs.namespace,
  };
  if (attrs.subresource !== undefined) resource.subresource = attrs.subresource;
  if (attrs.name !== undefined) resource.name = attrs.name;
  return { resourceAttributes: resource };
}

/**
 * RBAC is eventually consistent: a binding written a moment ago may not be in the authorizer's cache yet.
 * waitForAccess asks the apiserver itself (a SubjectAccessReview, as admin) until it gives the expected answer.
 */
import { AccessTimeoutError } from './errors.js';
import type { ApiResponse } from './http.js';
import { sleep } from './poll.js';

export interface AccessQuery {
  cluster: string;
  /** A test user's short or full name, or any other username. */
  user: string;
  /** Defaults to the test user's groups plus system:authenticated, as a real request of theirs would carry. */
  groups?: string[];
  verb: string;
  resource: string;
  /** API group; '' (core) by default. */
  group?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  expected: boolean;
  /** Default 15 s. */
  timeoutMs?: number;
}

export interface SarStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

type AdminPost = (path: string, body: unknown) => Promise<ApiResponse>;

export async function waitForAccess(
  q: AccessQuery,
  who: { username: string; groups: string[] },
  post: AdminPost,
): Promise<void> {
  const deadline = Date.now() + (q.timeoutMs ?? 15_000);
  let last: SarStatus | string;
  for (;;) {
    last = await review(q, who, post);
    if (typeof last !== 'string' && last.allowed === q.expected) return;
    if (Date.now() >= deadline) break;
    await sleep(100);
  }
  const target = describe(q);
  throw new AccessTimeoutError(
    `cluster ${q.cluster}: ${who.username} still ${q.expected ? 'denied' : 'allowed'} to ${target} after ` +
      `${q.timeoutMs ?? 15_000} ms (last answer: ${JSON.stringify(last)})`,
    { query: q, last },
  );
}

async function review(
  q: AccessQuery,
  who: { username: string; groups: string[] },
  post: AdminPost,
): Promise<SarStatus | string> {
  const body = {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: who.username,
      groups: who.groups,
      resourceAttributes: {
        verb: q.verb,
        resource: q.resource,
        group: q.group ?? '',
        namespace: q.namespace,
        name: q.name,
        subresource: q.subresource,
      },
    },
  };
  const res = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', body);
  if (res.status !== 201 && res.status !== 200) return `SubjectAccessReview answered ${res.status}`;
  return (res.body as { status: SarStatus }).status;
}

function describe(q: AccessQuery): string {
  const resource = [q.group ? `${q.resource}.${q.group}` : q.resource, q.subresource].filter(Boolean).join('/');
  const where = q.namespace ? ` in namespace ${q.namespace}` : ' cluster-wide';
  return `${q.verb} ${resource}${q.name ? `/${q.name}` : ''}${where}`;
}

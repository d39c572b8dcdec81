/**
 * One kube-apiserver audit event (audit.k8s.io/v1 `Event`, one JSON object per line as `--audit-log-path` writes
 * it) turned into the request RBAC authorized: who (the impersonated identity when there is one, since that is the
 * identity the request was authorized as), what (the same `RequestAttributes` `can-i` asks about) and the decision.
 */

import type { RequestAttributes, UserInfo } from '../resources/authorization.js';

/** What a line of the log is. Only `request` lines are counted; the rest are tallied so the totals add up. */
export type AuditLine =
  | { kind: 'request'; request: AuditRequest }
  /** Another stage of a request counted once at ResponseComplete (RequestReceived, ResponseStarted). */
  | { kind: 'other-stage' }
  | { kind: 'malformed'; reason: string };

export interface AuditRequest {
  /** requestReceivedTimestamp, in epoch milliseconds. */
  time: number;
  user: UserInfo;
  attrs: RequestAttributes;
  decision: 'allow' | 'deny';
}

interface RawUser {
  username?: unknown;
  groups?: unknown;
}

interface RawEvent {
  kind?: unknown;
  stage?: unknown;
  verb?: unknown;
  requestURI?: unknown;
  user?: RawUser;
  impersonatedUser?: RawUser;
  objectRef?: {
    resource?: unknown;
    subresource?: unknown;
    namespace?: unknown;
    name?: unknown;
    apiGroup?: unknown;
  };
  responseStatus?: { code?: unknown };
  annotations?: Record<string, unknown>;
  requestReceivedTimestamp?: unknown;
}

/** Requests are counted once, at the stage every request reaches (a panic ends a request too). */
const COUNTED_STAGES = new Set(['ResponseComplete', 'Panic']);

export function parseAuditLine(line: string): AuditLine {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw.kind !== undefined && raw.kind !== 'Event'))
    return { kind: 'malformed', reason: 'not an audit.k8s.io Event' };
  if (typeof raw.stage === 'string' && !COUNTED_STAGES.has(raw.stage)) return { kind: 'other-stage' };
  const time = typeof raw.requestReceivedTimestamp === 'string' ? Date.parse(raw.requestReceivedTimestamp) : NaN;
  const identity = raw.impersonatedUser ?? raw.user;
  if (Number.isNaN(time) || typeof raw.verb !== 'string' || typeof identity?.username !== 'string')
    return { kind: 'malformed', reason: 'missing requestReceivedTimestamp, verb or user' };
  const user: UserInfo = { user: identity.username, groups: strings(identity.groups) };
  return { kind: 'request', request: { time, user, attrs: attributesOf(raw, raw.verb), decision: decisionOf(raw) } };
}

function attributesOf(raw: RawEvent, verb: string): RequestAttributes {
  const ref = raw.objectRef;
  if (!ref || typeof ref.resource !== 'string') {
    const uri = typeof raw.requestURI === 'string' ? raw.requestURI : '';
    const query = uri.indexOf('?');
    return { verb, path: query < 0 ? uri : uri.slice(0, query) };
  }
  const attrs: RequestAttributes = {
    verb,
    group: typeof ref.apiGroup === 'string' ? ref.apiGroup : '',
    resource: ref.resource,
    namespace: typeof ref.namespace === 'string' ? ref.namespace : '',
  };
  if (typeof ref.subresource === 'string' && ref.subresource !== '') attrs.subresource = ref.subresource;
  if (typeof ref.name === 'string' && ref.name !== '') attrs.name = ref.name;
  return attrs;
}

/**
 * The authorizer's own verdict when the log has it (the `authorization.k8s.io/decision` annotation, written at
 * every level from Metadata up); otherwise the response code: 401 and 403 were not allowed.
 */
function decisionOf(raw: RawEvent): 'allow' | 'deny' {
  const annotated = raw.annotations?.['authorization.k8s.io/decision'];
  if (annotated === 'allow') return 'allow';
  if (annotated === 'forbid') return 'deny';
  const code = raw.responseStatus?.code;
  return code === 401 || code === 403 ? 'deny' : 'allow';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

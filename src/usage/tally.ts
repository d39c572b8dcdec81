/**
 * Counting requests against Roster's grants. Each allowed request is evaluated with the same RBAC evaluator as
 * `can-i` (src/access/evaluate.ts) over the state Roster compiles for the request's cluster; every Roster binding
 * that allows it is credited (per grant: holder × role × namespace-or-pattern × cluster), and so is each member the
 * binding matched. Allowed requests no Roster binding explains were allowed by something Roster does not manage.
 * Memory is bounded by the number of grants and identities, never by the number of requests.
 */

import { Authorizer } from '../access/evaluate.js';
import type { RbacBinding, RbacSnapshot } from '../access/types.js';
import type { RequestAttributes, UserInfo } from '../resources/authorization.js';
import type { Holder } from '../compile/types.js';
import type { Cluster, Model } from '../model/types.js';
import { personOf } from '../review/holdings.js';
import type { Subject } from '../resources/types.js';
import type { AuditRequest } from './events.js';

export interface Use {
  count: number;
  /** Epoch ms of the latest request; 0 when never used. */
  last: number;
}

export interface Totals {
  /** Non-empty lines read. */
  lines: number;
  /** Lines that are not audit events (or too long), skipped. */
  malformed: number;
  /** Events of other stages (RequestReceived, ResponseStarted): each request is counted once, when it completed. */
  otherStages: number;
  /** Requests received before --since. */
  beforeSince: number;
  /** Requests counted: allowed + denied. */
  requests: number;
  allowed: number;
  denied: number;
  /** Allowed requests at least one Roster grant allowed. */
  byRoster: number;
  /** Allowed requests no Roster grant allows: bindings Roster does not manage, system:masters, other authorizers. */
  outsideRoster: number;
}

export function emptyTotals(): Totals {
  return {
    lines: 0,
    malformed: 0,
    otherStages: 0,
    beforeSince: 0,
    requests: 0,
    allowed: 0,
    denied: 0,
    byRoster: 0,
    outsideRoster: 0,
  };
}

/** A log file's lines that are not audit events: how many, and the first (its line number in the file and why). */
export interface MalformedLines {
  file: string;
  lines: number;
  first: { line: number; reason: string };
}

/** Everything counted, keyed by the strings below; one tally for all clusters. */
export class UsageTally {
  readonly totals = emptyTotals();
  readonly grants = new Map<string, Use>();
  readonly members = new Map<string, Use>();
  readonly tokens = new Map<string, Use>();
  readonly outside = new Map<string, Use>();
  /** Per file with malformed lines, in the order read. */
  readonly malformed: MalformedLines[] = [];
  /** Per cluster: the first and last counted request. */
  readonly spans = new Map<string, { first: number; last: number; requests: number }>();
}

export function grantKey(cluster: string, holder: Holder, role: string, namespace: string): string {
  return [cluster, holder.kind, holder.name, role, namespace].join('\0');
}

export function memberKey(holder: Holder, person: { kind: string; name: string }): string {
  return [holder.kind, holder.name, person.kind, person.name].join('\0');
}

export function outsideKey(cluster: string, user: string): string {
  return `${cluster}\0${user}`;
}

/** What one distinct request credits; cached, since logs repeat the same request shape endlessly. */
interface Credit {
  grants: string[];
  members: string[];
}

const CACHE_LIMIT = 10_000;

export class ClusterCounter {
  private readonly authorizer: Authorizer;
  private readonly tokenUsers: Map<string, string>;
  private readonly cache = new Map<string, Credit>();

  constructor(
    private readonly cluster: Cluster,
    snapshot: RbacSnapshot,
    model: Model,
    private readonly tally: UsageTally,
  ) {
    this.authorizer = new Authorizer(snapshot, {
      patterns: 'glob',
      protectedNamespaces: model.settings.protectedNamespaces,
    });
    const ns = model.settings.tokenNamespace;
    this.tokenUsers = new Map(model.tokens.map((t) => [`system:serviceaccount:${ns}:${t.name}`, t.name]));
  }

  record(request: AuditRequest): void {
    const { totals } = this.tally;
    totals.requests++;
    this.span(request.time);
    const token = this.tokenUsers.get(request.user.user);
    if (token !== undefined) bump(this.tally.tokens, token, request.time);
    if (request.decision === 'deny') {
      totals.denied++;
      return;
    }
    totals.allowed++;
    const credit = this.creditFor(request.user, request.attrs);
    if (credit.grants.length === 0) {
      totals.outsideRoster++;
      bump(this.tally.outside, outsideKey(this.cluster.name, request.user.user), request.time);
      return;
    }
    totals.byRoster++;
    for (const key of credit.grants) bump(this.tally.grants, key, request.time);
    for (const key of credit.members) bump(this.tally.members, key, request.time);
  }

  private creditFor(user: UserInfo, attrs: RequestAttributes): Credit {
    const key = cacheKey(user, attrs);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const credit: Credit = { grants: [], members: [] };
    for (const allowance of this.authorizer.allowances(user, attrs)) {
      const { binding } = allowance;
      if (!binding.managed || !binding.holder) continue;
      credit.grants.push(grantKey(this.cluster.name, binding.holder, roleOf(binding), binding.namespace ?? ''));
      for (const subject of allowance.subjects) credit.members.push(this.memberOf(binding.holder, subject));
    }
    credit.members = [...new Set(credit.members)];
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, credit);
    return credit;
  }

  private memberOf(holder: Holder, subject: Subject): string {
    return memberKey(holder, personOf({ holder, subject }, this.cluster));
  }

  private span(time: number): void {
    const span = this.tally.spans.get(this.cluster.name);
    if (!span) this.tally.spans.set(this.cluster.name, { first: time, last: time, requests: 1 });
    else {
      span.first = Math.min(span.first, time);
      span.last = Math.max(span.last, time);
      span.requests++;
    }
  }
}

function roleOf(binding: RbacBinding): string {
  return binding.role ?? binding.roleRef.name;
}

function bump(map: Map<string, Use>, key: string, time: number): void {
  const use = map.get(key);
  if (!use) map.set(key, { count: 1, last: time });
  else {
    use.count++;
    if (time > use.last) use.last = time;
  }
}

function cacheKey(user: UserInfo, attrs: RequestAttributes): string {
  const what =
    'path' in attrs
      ? `${attrs.verb} ${attrs.path}`
      : `${attrs.verb} ${attrs.group}/${attrs.resource}/${attrs.subresource ?? ''} ` +
        `${attrs.namespace}/${attrs.name ?? ''}`;
  return `${user.user}\0${user.groups.join(',')}\0${what}`;
}

/**
 * The access change between two versions of the config, in people's terms: who gains or loses which role where,
 * which tokens appear, vanish or live longer, which roles' rules changed and who holds them, then the object counts
 * per cluster. Pure data: `roster diff` renders it, `roster audit` builds one per commit.
 */

import type { RoleScope } from '../model/types.js';

/** Why a change needs a closer look. Stable codes: bots match on them. */
export const RiskCodes = {
  /** A role the guardrails flag (custom `privileged: true`, or cluster-owner). */
  guardrail: 'guardrail',
  /** owner / cluster-owner, or a role that extends one. */
  owner: 'owner',
  /** A token that now lives longer (or a new one). */
  tokenLifetime: 'token-lifetime',
  /** A namespace pattern: it also covers namespaces created later; or a pattern that got wider. */
  namespacePattern: 'namespace-pattern',
} as const;
export type RiskCode = (typeof RiskCodes)[keyof typeof RiskCodes];

export interface Risk {
  code: RiskCode;
  message: string;
}

/** A subject as people name it: SSO prefixes stripped, a token's ServiceAccount shown as the token. */
export interface Person {
  kind: 'user' | 'group' | 'serviceaccount' | 'token';
  /** `alice@example.com`, `payments-eng`, `ci/deployer`, `ci-deployer` */
  name: string;
}

export const ChangeKinds = { gains: 'gains', loses: 'loses' } as const;
export type ChangeKind = (typeof ChangeKinds)[keyof typeof ChangeKinds];

/** One person's access to one role in one place, on the clusters listed. */
export interface AccessChange {
  change: ChangeKind;
  who: Person;
  role: string;
  scope: RoleScope;
  /** Set for namespace scope: a name or (offline) a pattern. */
  namespace?: string;
  pattern?: boolean;
  clusters: string[];
  /** `team payments`, `token ci-deployer`: how the access is (or was) held. */
  via: string[];
  /** The change came from the clock (a grant's window opened or closed), not from an edit. Audit only. */
  byTime?: boolean;
  /** The Delegation each delegated holder in `via` belongs to (`team payments` → `payments`). Audit only. */
  delegations?: Record<string, string>;
  risks: Risk[];
}

/**
 * Access held on both sides whose end moved: `extended` / `shortened` (both sides expire), `made-permanent` (it
 * expired before, not any more), `made-temporary` (it now expires).
 */
export interface ExpiryChange extends Omit<AccessChange, 'change' | 'byTime' | 'risks'> {
  change: 'extended' | 'shortened' | 'made-permanent' | 'made-temporary';
  /** RFC 3339: when the access ended before; absent = it never ended. */
  before?: string;
  /** RFC 3339: when it ends now; absent = it never ends. */
  after?: string;
}

export interface TokenChange {
  token: string;
  change: 'added' | 'removed' | 'extended' | 'shortened';
  owner: string;
  before?: string;
  after?: string;
  risks: Risk[];
}

export interface RoleChange {
  role: string;
  change: 'rules-changed';
  privileged: boolean;
  /** Who holds the role after the change, and where. */
  affected: Array<{ who: Person; clusters: string[] }>;
  risks: Risk[];
}

export interface ObjectSummary {
  cluster: string;
  /** `Kind/namespace/name` keys, sorted. */
  created: string[];
  updated: string[];
  deleted: string[];
}

/** A Suspension document added, lifted (removed) or changed. */
export interface SuspensionChange {
  suspension: string;
  change: 'added' | 'lifted' | 'changed';
  /** `User alice@example.com`, `AccessToken ci-deployer`. */
  subjects: string[];
  reason: string;
  until?: string;
}

export interface AccessDiff {
  access: AccessChange[];
  /** Access kept whose expiry moved. */
  expiries: ExpiryChange[];
  tokens: TokenChange[];
  roles: RoleChange[];
  objects: ObjectSummary[];
  /** Absent where no one compared suspensions (audit). */
  suspensions?: SuspensionChange[];
}

/** Access gained or lost, an end moved, a token or a role changed; `roster audit` asks it of each commit too. */
export function hasAccessChanges(diff: Pick<AccessDiff, 'access' | 'expiries' | 'tokens' | 'roles'>): boolean {
  return diff.access.length + diff.expiries.length + diff.tokens.length + diff.roles.length > 0;
}

export function isRisky(item: { risks: Risk[] }): boolean {
  return item.risks.length > 0;
}

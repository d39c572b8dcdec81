/**
 * The config model: what a platform team writes in Git. These are the validated, defaulted shapes the compiler
 * consumes; YAML positions live beside them in `SourceRef`s so every later stage can point back at a file.
 */

export const API_VERSION = 'roster/v1';

export const Kinds = ['Settings', 'Cluster', 'Role', 'Team', 'AccessToken', 'Delegation', 'Suspension'] as const;
export type Kind = (typeof Kinds)[number];

/** Where a document (or one of its fields) came from. `file` is relative to the config repository root. */
export interface SourceRef {
  file: string;
  /** 0-based index of the document inside a multi-document file. */
  doc: number;
  line: number;
  col: number;
}

export interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Settings {
  /** Ownership id written on every managed object; two repos with different instances never touch each other. */
  instance: string;
  prune: { enabled: boolean; maxPercent: number };
  protectedNamespaces: string[];
  tokenNamespace: string;
  /** Holds the ServiceAccount of each Delegation; like the token namespace, no grant pattern reaches it. */
  delegationNamespace: string;
  /** Parsed from e.g. "90d" / "12h". */
  maxTokenLifetimeSeconds: number;
  /** Longest user certificate `roster kubeconfig --user` mints; certificates cannot be revoked, so short. */
  maxUserCertLifetimeSeconds: number;
  /** validate warns this many days before a grant or token expires. */
  expiryWarningDays: number;
  /** Periodic access reviews; undefined: none required. */
  review?: ReviewPolicy;
  /** How long team grants may last; validate enforces it on every commit. */
  grantPolicy: GrantPolicyRule[];
}

/** Settings `review`: how often teams and tokens must be reviewed, and what an overdue review does. */
export interface ReviewPolicy {
  everySeconds: number;
  /** For holders of a privileged role; defaults to everySeconds. */
  privilegedSeconds: number;
  onOverdue: 'warn' | 'suspend';
}

/** A team's or token's last access review (`spec.reviewed`), as `roster review attest` records it. */
export interface Review {
  at: Date;
  by: string;
  source: SourceRef;
}

/** One `spec.grantPolicy` rule of Settings: which grants it covers and what they must satisfy. */
export interface GrantPolicyRule {
  roles: string[];
  /** Also covers every privileged role (cluster-owner, custom roles with privileged: true). */
  privileged: boolean;
  /** Only grants reaching at least one selected cluster; `{all: true}` when omitted. */
  clusters: ClusterSelector;
  maxDurationSeconds?: number;
  /** True when set, or when maxDuration is set. */
  requireExpiry: boolean;
  /** Checked by `roster grant` / `roster request`: the reason lives in the commit, not in the file. */
  requireReason: boolean;
  /** Index in `spec.grantPolicy`, for messages. */
  index: number;
}

export interface Cluster {
  name: string;
  labels: Record<string, string>;
  context: string;
  userPrefix: string;
  groupPrefix: string;
  source: SourceRef;
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

export type RoleScope = 'namespace' | 'cluster';

export interface CustomRole {
  name: string;
  scope: RoleScope;
  extends: string[];
  rules: PolicyRule[];
  privileged: boolean;
  description?: string;
  source: SourceRef;
}

/** Which clusters a grant reaches. Omitted in the file = every cluster. */
export type ClusterSelector = { all: true } | { names: string[] } | { matchLabels: Record<string, string> };

export interface Grant {
  role: string;
  /** Names or glob patterns ("payments-*"); empty for cluster-scoped roles. */
  namespaces: string[];
  clusters: ClusterSelector;
  notBefore?: Date;
  expires?: Date;
  /** Why this access exists, for reviewers. */
  description?: string;
  /**
   * Acknowledges a dangerous grant: required to bind cluster-owner to a team with groups, and to grant into a
   * protected namespace by its explicit name (patterns never reach protected namespaces).
   */
  privileged?: boolean;
  /** Index in the owner's `spec.grants`, for messages and provenance. */
  index: number;
  source: SourceRef;
}

export interface Members {
  users: string[];
  groups: string[];
  /** "namespace/name" */
  serviceAccounts: string[];
}

export interface Team {
  name: string;
  description?: string;
  members: Members;
  grants: Grant[];
  reviewed?: Review;
  source: SourceRef;
}

export interface AccessToken {
  name: string;
  owner: string;
  description?: string;
  expires: Date;
  /** The token is valid from this time; before it, nothing is compiled. Lifetime is measured from max(notBefore,
   * now). */
  notBefore?: Date;
  /** When the token was declared; used to check the lifetime against Settings.maxTokenLifetime. Defaults to now. */
  created?: Date;
  grants: Grant[];
  reviewed?: Review;
  source: SourceRef;
}

/**
 * Delegated administration: the files under `paths` belong to a product team (`owners`), who may grant only the
 * `ceiling` roles, only in `namespaces`, only on `clusters`. Validation enforces it, and so does Kubernetes: the
 * bindings compiled from those files are written while impersonating the delegation's ServiceAccount, which may
 * bind nothing but the ceiling roles in those namespaces.
 */
export interface Delegation {
  name: string;
  description?: string;
  /** Globs over config-repository paths: `teams/payments/**`, `tokens/payments-*.yaml`. */
  paths: string[];
  /** Who reviews changes to those paths (CODEOWNERS) and who is shown as responsible. */
  owners: { users: string[]; groups: string[] };
  /** Names or patterns (`payments-*`); grants from delegated files must stay inside them. */
  namespaces: string[];
  clusters: ClusterSelector;
  /** Role names (built-in or custom, defined outside the delegated paths) its files may grant. */
  ceiling: string[];
  source: SourceRef;
}

/** Who a Suspension names, as written in Team files (no cluster prefixes). */
export interface SuspendedSubjects {
  users: string[];
  groups: string[];
  /** "namespace/name" */
  serviceAccounts: string[];
  /** AccessToken names: their ServiceAccounts. */
  tokens: string[];
}

/**
 * Kalm's "suspended" role as a document: while in force, the subjects are left out of every binding on every
 * cluster, whatever grants them access, and a suspended token's ServiceAccount is replaced.
 */
export interface Suspension {
  name: string;
  reason: string;
  subjects: SuspendedSubjects;
  /** The suspension ends at this time; none = until the document is removed. */
  expires?: Date;
  source: SourceRef;
}

/** A whole validated config repository. Arrays are sorted by name. */
/** The validated config. Read-only: caches keyed on a model (compile, audit) rely on it never changing. */
export interface Model {
  readonly settings: Settings;
  readonly clusters: readonly Cluster[];
  readonly roles: readonly CustomRole[];
  readonly teams: readonly Team[];
  readonly tokens: readonly AccessToken[];
  /** Absent (models built by hand) means none. */
  readonly delegations?: readonly Delegation[];
  /** Absent in models built by hand (tests, benchmarks): no suspensions. */
  readonly suspensions?: readonly Suspension[];
  /** Set once Git is wired in: the commit the model was read from. */
  readonly commit?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  instance: 'default',
  prune: { enabled: true, maxPercent: 30 },
  protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  tokenNamespace: 'roster-tokens',
  delegationNamespace: 'roster-delegations',
  maxTokenLifetimeSeconds: 90 * 24 * 3600,
  maxUserCertLifetimeSeconds: 24 * 3600,
  expiryWarningDays: 14,
  grantPolicy: [],
};

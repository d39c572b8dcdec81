/**
 * The config model: what a platform team writes in Git. These are the validated, defaulted shapes the compiler
 * consumes; YAML positions live beside them in `SourceRef`s so every later stage can point back at a file.
 */

export const API_VERSION = 'roster/v1';

export const Kinds = ['Settings', 'Cluster', 'Role', 'Team', 'AccessToken', 'Delegation', 'Suspension'] as const;
export type Kind = (typeof Kinds)[number];

/** Where a document (or one of its fields) came from. `file` is relative to the config repository root. */
export interface SourceRef {
  readonly file: string;
  /** 0-based index of the document inside a multi-document file. */
  readonly doc: number;
  readonly line: number;
  readonly col: number;
}

export interface Metadata {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface Settings {
  /** Ownership id written on every managed object; two repos with different instances never touch each other. */
  readonly instance: string;
  readonly prune: { readonly enabled: boolean; readonly maxPercent: number };
  readonly protectedNamespaces: readonly string[];
  readonly tokenNamespace: string;
  /** Holds the ServiceAccount of each Delegation; like the token namespace, no grant pattern reaches it. */
  readonly delegationNamespace: string;
  /** Parsed from e.g. "90d" / "12h". */
  readonly maxTokenLifetimeSeconds: number;
  /** Longest user certificate `roster kubeconfig --user` mints; certificates cannot be revoked, so short. */
  readonly maxUserCertLifetimeSeconds: number;
  /** validate warns this many days before a grant or token expires. */
  readonly expiryWarningDays: number;
  /** Periodic access reviews; undefined: none required. */
  readonly review?: ReviewPolicy;
  /** How long team grants may last; validate enforces it on every commit. */
  readonly grantPolicy: readonly GrantPolicyRule[];
}

/** Settings `review`: how often teams and tokens must be reviewed, and what an overdue review does. */
export interface ReviewPolicy {
  readonly everySeconds: number;
  /** For holders of a privileged role; defaults to everySeconds. */
  readonly privilegedSeconds: number;
  readonly onOverdue: 'warn' | 'suspend';
}

/** A team's or token's last access review (`spec.reviewed`), as `roster review attest` records it. */
export interface Review {
  readonly at: Date;
  readonly by: string;
  readonly source: SourceRef;
}

/** One `spec.grantPolicy` rule of Settings: which grants it covers and what they must satisfy. */
export interface GrantPolicyRule {
  readonly roles: readonly string[];
  /** Also covers every privileged role (cluster-owner, custom roles with privileged: true). */
  readonly privileged: boolean;
  /** Only grants reaching at least one selected cluster; `{all: true}` when omitted. */
  readonly clusters: ClusterSelector;
  readonly maxDurationSeconds?: number;
  /** True when set, or when maxDuration is set. */
  readonly requireExpiry: boolean;
  /** Checked by `roster grant` / `roster request`: the reason lives in the commit, not in the file. */
  readonly requireReason: boolean;
  /** Index in `spec.grantPolicy`, for messages. */
  readonly index: number;
}

export interface Cluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly context: string;
  readonly userPrefix: string;
  readonly groupPrefix: string;
  readonly source: SourceRef;
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly verbs: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export type RoleScope = 'namespace' | 'cluster';

export interface CustomRole {
  readonly name: string;
  readonly scope: RoleScope;
  readonly extends: readonly string[];
  readonly rules: readonly PolicyRule[];
  readonly privileged: boolean;
  readonly description?: string;
  readonly source: SourceRef;
}

/** Which clusters a grant reaches. Omitted in the file = every cluster. */
export type ClusterSelector =
  | { readonly all: true }
  | { readonly names: readonly string[] }
  | { readonly matchLabels: Readonly<Record<string, string>> };

export interface Grant {
  readonly role: string;
  /** Names or glob patterns ("payments-*"); empty for cluster-scoped roles. */
  readonly namespaces: readonly string[];
  readonly clusters: ClusterSelector;
  readonly notBefore?: Date;
  readonly expires?: Date;
  /** Why this access exists, for reviewers. */
  readonly description?: string;
  /**
   * Acknowledges a dangerous grant: required to bind cluster-owner to a team with groups, and to grant into a
   * protected namespace by its explicit name (patterns never reach protected namespaces).
   */
  readonly privileged?: boolean;
  /** Index in the owner's `spec.grants`, for messages and provenance. */
  readonly index: number;
  readonly source: SourceRef;
}

export interface Members {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** "namespace/name" */
  readonly serviceAccounts: readonly string[];
}

export interface Team {
  readonly name: string;
  readonly description?: string;
  readonly members: Members;
  readonly grants: readonly Grant[];
  readonly reviewed?: Review;
  readonly source: SourceRef;
}

export interface AccessToken {
  readonly name: string;
  readonly owner: string;
  readonly description?: string;
  readonly expires: Date;
  /** The token is valid from this time; before it, nothing is compiled. Lifetime is measured from max(notBefore,
   * now). */
  readonly notBefore?: Date;
  /** When the token was declared; used to check the lifetime against Settings.maxTokenLifetime. Defaults to now. */
  readonly created?: Date;
  readonly grants: readonly Grant[];
  readonly reviewed?: Review;
  readonly source: SourceRef;
}

/**
 * Delegated administration: the files under `paths` belong to a product team (`owners`), who may grant only the
 * `ceiling` roles, only in `namespaces`, only on `clusters`. Validation enforces it, and so does Kubernetes: the
 * bindings compiled from those files are written while impersonating the delegation's ServiceAccount, which may
 * bind nothing but the ceiling roles in those namespaces.
 */
export interface Delegation {
  readonly name: string;
  readonly description?: string;
  /** Globs over config-repository paths: `teams/payments/**`, `tokens/payments-*.yaml`. */
  readonly paths: readonly string[];
  /** Who reviews changes to those paths (CODEOWNERS) and who is shown as responsible. */
  readonly owners: { users: readonly string[]; groups: string[] };
  /** Names or patterns (`payments-*`); grants from delegated files must stay inside them. */
  readonly namespaces: readonly string[];
  readonly clusters: ClusterSelector;
  /** Role names (built-in or custom, defined outside the delegated paths) its files may grant. */
  readonly ceiling: readonly string[];
  readonly source: SourceRef;
}

/** Who a Suspension names, as written in Team files (no cluster prefixes). */
export interface SuspendedSubjects {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** "namespace/name" */
  readonly serviceAccounts: readonly string[];
  /** AccessToken names: their ServiceAccounts. */
  readonly tokens: readonly string[];
}

/**
 * Kalm's "suspended" role as a document: while in force, the subjects are left out of every binding on every
 * cluster, whatever grants them access, and a suspended token's ServiceAccount is replaced.
 */
export interface Suspension {
  readonly name: string;
  readonly reason: string;
  readonly subjects: SuspendedSubjects;
  /** The suspension ends at this time; none = until the document is removed. */
  readonly expires?: Date;
  readonly source: SourceRef;
}

/**
 * A whole validated config repository; arrays are sorted by name. Read-only all the way down: caches keyed on a model
 * or on its parts (compile, audit) rely on it never changing, so a change builds a new object.
 */
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

/**
 * One model object while the loader (or a test's builder) fills it in field by field, before it is handed out as the
 * read-only type. Shallow on purpose: only the object being built is writable, never what it points at.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

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

/**
 * The config model: what a platform team writes in Git. These are the validated, defaulted shapes the compiler
 * consumes; YAML positions live beside them in `SourceRef`s so every later stage can point back at a file.
 */

export const API_VERSION = 'roster/v1';

export const Kinds = ['Settings', 'Cluster', 'Role', 'Team', 'AccessToken'] as const;
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
  /** Parsed from e.g. "90d" / "12h". */
  maxTokenLifetimeSeconds: number;
  /** validate warns this many days before a grant or token expires. */
  expiryWarningDays: number;
  /** Periodic access reviews; undefined: none required. */
  review?: ReviewPolicy;
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
  /** The token is valid from this time; before it, nothing is compiled. Lifetime is measured from max(notBefore, now). */
  notBefore?: Date;
  /** When the token was declared; used to check the lifetime against Settings.maxTokenLifetime. Defaults to now. */
  created?: Date;
  grants: Grant[];
  reviewed?: Review;
  source: SourceRef;
}

/** A whole validated config repository. Arrays are sorted by name. */
export interface Model {
  settings: Settings;
  clusters: Cluster[];
  roles: CustomRole[];
  teams: Team[];
  tokens: AccessToken[];
  /** Set once Git is wired in: the commit the model was read from. */
  commit?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  instance: 'default',
  prune: { enabled: true, maxPercent: 30 },
  protectedNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  tokenNamespace: 'roster-tokens',
  maxTokenLifetimeSeconds: 90 * 24 * 3600,
  expiryWarningDays: 14,
};

/**
 * Builds the typed model objects from documents the schema accepted, each kept beside its document so later checks
 * can point at the exact YAML. Defaults are applied here, and only here.
 */

import type { LoadedDocument } from '../load/types.js';
import {
  DEFAULT_SETTINGS,
  type AccessToken,
  type Cluster,
  type ClusterSelector,
  type CustomRole,
  type Delegation,
  type Grant,
  type GrantPolicyRule,
  type Kind,
  type PolicyRule,
  type Review,
  type ReviewPolicy,
  type RoleScope,
  type Settings,
  type SourceRef,
  type Suspension,
  type Team,
  type Writable,
} from '../model/types.js';
import { parseDuration } from '../time.js';

export interface Entry<T> {
  item: T;
  doc: LoadedDocument;
}

export interface Collected {
  settings: Entry<Settings>[];
  clusters: Entry<Cluster>[];
  roles: Entry<CustomRole>[];
  teams: Entry<Team>[];
  tokens: Entry<AccessToken>[];
  delegations: Entry<Delegation>[];
  suspensions: Entry<Suspension>[];
}

/** The shapes the schemas guarantee, before defaults. */
interface RawDoc {
  kind: Kind;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}
interface RawGrant {
  role: string;
  namespaces?: string[];
  clusters?: { names?: string[]; matchLabels?: Record<string, string> };
  notBefore?: string;
  expires?: string;
  description?: string;
  privileged?: boolean;
}
type RawSpec<T> = T & Record<string, unknown>;

/** One document's model object, filed under its kind's list. */
export type CollectedItem = { [L in keyof Collected]: { list: L; entry: Collected[L][number] } }[keyof Collected];

/** Model objects grouped by kind, in document order. */
export function collect(items: readonly CollectedItem[]): Collected {
  const c: Collected = {
    settings: [],
    clusters: [],
    roles: [],
    teams: [],
    tokens: [],
    delegations: [],
    suspensions: [],
  };
  for (const { list, entry } of items) (c[list] as Entry<unknown>[]).push(entry);
  return c;
}

/** The model object of one document: it depends on that document alone (validate caches it per document). */
export function collectDocument(doc: LoadedDocument): CollectedItem {
  const raw = doc.value as RawDoc;
  const spec = raw.spec ?? {};
  const name = raw.metadata.name;
  switch (raw.kind) {
    case 'Settings':
      return { list: 'settings', entry: { item: settingsOf(spec), doc } };
    case 'Cluster':
      return {
        list: 'clusters',
        entry: { item: clusterOf(name, raw.metadata.labels ?? {}, spec, sourceOf(doc)), doc },
      };
    case 'Role':
      return { list: 'roles', entry: { item: roleOf(name, spec, sourceOf(doc)), doc } };
    case 'Team':
      return { list: 'teams', entry: { item: teamOf(name, spec, doc), doc } };
    case 'AccessToken':
      return { list: 'tokens', entry: { item: tokenOf(name, spec, doc), doc } };
    case 'Delegation':
      return { list: 'delegations', entry: { item: delegationOf(name, spec, doc), doc } };
    case 'Suspension':
      return { list: 'suspensions', entry: { item: suspensionOf(name, spec as never, doc), doc } };
  }
}

export function sourceOf(doc: LoadedDocument, path: (string | number)[] = []): SourceRef {
  return { file: doc.file, doc: doc.doc, ...doc.locate(path) };
}

function settingsOf(
  spec: RawSpec<{ prune?: Partial<Settings['prune']>; maxTokenLifetime?: string; maxUserCertLifetime?: string }>,
): Settings {
  const d = DEFAULT_SETTINGS;
  return {
    instance: (spec.instance as string | undefined) ?? d.instance,
    prune: { ...d.prune, ...spec.prune },
    protectedNamespaces: (spec.protectedNamespaces as string[] | undefined) ?? [...d.protectedNamespaces],
    tokenNamespace: (spec.tokenNamespace as string | undefined) ?? d.tokenNamespace,
    delegationNamespace: (spec.delegationNamespace as string | undefined) ?? d.delegationNamespace,
    maxTokenLifetimeSeconds: spec.maxTokenLifetime ? parseDuration(spec.maxTokenLifetime) : d.maxTokenLifetimeSeconds,
    maxUserCertLifetimeSeconds: spec.maxUserCertLifetime
      ? parseDuration(spec.maxUserCertLifetime)
      : d.maxUserCertLifetimeSeconds,
    expiryWarningDays: (spec.expiryWarningDays as number | undefined) ?? d.expiryWarningDays,
    ...reviewPolicyOf(
      spec.review as { every: string; privileged?: string; onOverdue?: 'warn' | 'suspend' } | undefined,
    ),
    grantPolicy: ((spec.grantPolicy as RawPolicyRule[] | undefined) ?? []).map(policyRuleOf),
  };
}

interface RawPolicyRule {
  roles?: string[];
  privileged?: boolean;
  clusters?: RawGrant['clusters'];
  maxDuration?: string;
  requireExpiry?: boolean;
  requireReason?: boolean;
}

function policyRuleOf(raw: RawPolicyRule, index: number): GrantPolicyRule {
  const max = raw.maxDuration ? parseDuration(raw.maxDuration) : undefined;
  return {
    roles: raw.roles ?? [],
    privileged: raw.privileged ?? false,
    clusters: selectorOf(raw.clusters),
    ...(max !== undefined ? { maxDurationSeconds: max } : {}),
    requireExpiry: raw.requireExpiry ?? max !== undefined,
    requireReason: raw.requireReason ?? false,
    index,
  };
}

function reviewPolicyOf(raw: { every: string; privileged?: string; onOverdue?: 'warn' | 'suspend' } | undefined): {
  review?: ReviewPolicy;
} {
  if (!raw) return {};
  const everySeconds = parseDuration(raw.every);
  return {
    review: {
      everySeconds,
      privilegedSeconds: raw.privileged ? parseDuration(raw.privileged) : everySeconds,
      onOverdue: raw.onOverdue ?? 'warn',
    },
  };
}

/** `spec.reviewed`; the schema guarantees both fields and the date-time format. */
function reviewOf(spec: Record<string, unknown>, doc: LoadedDocument): { reviewed?: Review } {
  const raw = spec.reviewed as { at: string; by: string } | undefined;
  if (!raw) return {};
  return { reviewed: { at: new Date(raw.at), by: raw.by, source: sourceOf(doc, ['spec', 'reviewed']) } };
}

function clusterOf(
  name: string,
  labels: Record<string, string>,
  spec: Record<string, unknown>,
  source: SourceRef,
): Cluster {
  const str = (k: string): string | undefined => spec[k] as string | undefined;
  return {
    name,
    labels,
    context: str('context') ?? name,
    userPrefix: str('userPrefix') ?? '',
    groupPrefix: str('groupPrefix') ?? '',
    source,
  };
}

function roleOf(name: string, spec: Record<string, unknown>, source: SourceRef): CustomRole {
  const role: Writable<CustomRole> = {
    name,
    scope: spec.scope as RoleScope,
    extends: (spec.extends as string[] | undefined) ?? [],
    rules: (spec.rules as PolicyRule[] | undefined) ?? [],
    privileged: (spec.privileged as boolean | undefined) ?? false,
    source,
  };
  if (typeof spec.description === 'string') role.description = spec.description;
  return role;
}

function teamOf(name: string, spec: RawSpec<{ members?: Partial<Team['members']> }>, doc: LoadedDocument): Team {
  const m = spec.members ?? {};
  const team: Writable<Team> = {
    name,
    members: { users: m.users ?? [], groups: m.groups ?? [], serviceAccounts: m.serviceAccounts ?? [] },
    grants: grantsOf(spec.grants as RawGrant[] | undefined, doc),
    ...reviewOf(spec, doc),
    source: sourceOf(doc),
  };
  if (typeof spec.description === 'string') team.description = spec.description;
  return team;
}

function tokenOf(name: string, spec: Record<string, unknown>, doc: LoadedDocument): AccessToken {
  const token: Writable<AccessToken> = {
    name,
    owner: spec.owner as string,
    expires: new Date(spec.expires as string),
    grants: grantsOf(spec.grants as RawGrant[] | undefined, doc),
    ...reviewOf(spec, doc),
    source: sourceOf(doc),
  };
  if (typeof spec.description === 'string') token.description = spec.description;
  if (typeof spec.notBefore === 'string') token.notBefore = new Date(spec.notBefore);
  return token;
}

function suspensionOf(
  name: string,
  spec: RawSpec<{ reason: string; subjects: Partial<Suspension['subjects']>; expires?: string }>,
  doc: LoadedDocument,
): Suspension {
  const s = spec.subjects;
  const suspension: Writable<Suspension> = {
    name,
    reason: spec.reason,
    subjects: {
      users: s.users ?? [],
      groups: s.groups ?? [],
      serviceAccounts: s.serviceAccounts ?? [],
      tokens: s.tokens ?? [],
    },
    source: sourceOf(doc),
  };
  if (spec.expires) suspension.expires = new Date(spec.expires);
  return suspension;
}

function grantsOf(raw: RawGrant[] | undefined, doc: LoadedDocument): Grant[] {
  return (raw ?? []).map((g, index) => {
    const grant: Writable<Grant> = {
      role: g.role,
      namespaces: g.namespaces ?? [],
      clusters: selectorOf(g.clusters),
      index,
      source: sourceOf(doc, ['spec', 'grants', index]),
    };
    if (g.notBefore) grant.notBefore = new Date(g.notBefore);
    if (g.expires) grant.expires = new Date(g.expires);
    if (g.description !== undefined) grant.description = g.description;
    if (g.privileged !== undefined) grant.privileged = g.privileged;
    return grant;
  });
}

interface RawDelegation {
  description?: string;
  paths: string[];
  owners: { users?: string[]; groups?: string[] };
  namespaces: string[];
  clusters?: RawGrant['clusters'];
  ceiling: string[];
}

function delegationOf(name: string, spec: Record<string, unknown>, doc: LoadedDocument): Delegation {
  const raw = spec as unknown as RawDelegation;
  const delegation: Writable<Delegation> = {
    name,
    paths: raw.paths,
    owners: { users: raw.owners.users ?? [], groups: raw.owners.groups ?? [] },
    namespaces: raw.namespaces,
    clusters: selectorOf(raw.clusters),
    ceiling: raw.ceiling,
    source: sourceOf(doc),
  };
  if (raw.description !== undefined) delegation.description = raw.description;
  return delegation;
}

function selectorOf(raw: RawGrant['clusters']): ClusterSelector {
  if (raw?.names) return { names: raw.names };
  if (raw?.matchLabels) return { matchLabels: raw.matchLabels };
  return { all: true };
}

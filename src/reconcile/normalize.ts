/**
 * The fields Roster owns, in one canonical form, so desired and live compare equal exactly when apply would change
 * nothing. RBAC's false-drift traps are handled here: defaulted `apiGroup`s on subjects and roleRefs, empty versus
 * missing lists, aggregated ClusterRoles (the control plane writes their rules), and server-set metadata.
 */

import type { LiveObject } from '../cluster/types.js';
import type { PolicyRule, Writable } from '../model/types.js';
import { COMMIT_ANNOTATION, MANAGED_BY_LABEL, PRUNE_ANNOTATION, SUSPENDED_ANNOTATION } from '../resources/labels.js';
import type { ManagedObject, RoleRef, Subject } from '../resources/types.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** An object reduced to what Roster compares; rendered as YAML for diffs. Key order here is the order shown. */
export interface OwnedFields {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  rules?: PolicyRule[];
  roleRef?: RoleRef;
  subjects?: Subject[];
}

/** Which labels and annotations count. The commit annotation never does: a new commit alone is no reason to write. */
interface Scope {
  labels: readonly string[];
  annotations: readonly string[];
  /** Aggregated ClusterRole: rules are the control plane's, not Roster's. */
  ignoreRules: boolean;
}

/** Both sides of a pair in canonical form; a missing side stays undefined. */
export function normalizePair(
  desired: ManagedObject | undefined,
  live: LiveObject | undefined,
): { desired?: OwnedFields; live?: OwnedFields } {
  const scope = scopeFor(desired, live);
  const out: { desired?: OwnedFields; live?: OwnedFields } = {};
  if (desired) out.desired = owned(desired, scope);
  if (live) out.live = owned(live, scope);
  return out;
}

/** True when the canonical forms are equal; `ownedEqual` is the allocation-free twin used for pairing. */
export function sameOwnedFields(a: OwnedFields, b: OwnedFields): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * True when apply would change nothing Roster owns: the same answer as comparing `normalizePair`'s two sides
 * (a unit test holds them together), without building them, since it runs for every object on every run.
 */
export function ownedEqual(desired: ManagedObject, live: LiveObject): boolean {
  if (desired.apiVersion !== live.apiVersion) return false;
  if (!sameEntries(desired.metadata.labels, live.metadata.labels, () => true)) return false;
  if (!sameEntries(desired.metadata.annotations, live.metadata.annotations, isOwnedAnnotation)) return false;
  if (desired.kind === 'ClusterRole' || desired.kind === 'Role') {
    return (
      (live.aggregationRule !== undefined && live.aggregationRule !== null) ||
      sameList(desired.rules, live.rules, sameRule)
    );
  }
  if (desired.kind === 'RoleBinding' || desired.kind === 'ClusterRoleBinding') {
    return sameRoleRef(desired.roleRef, live.roleRef) && sameList(desired.subjects, live.subjects, sameSubject);
  }
  return true;
}

/** Both sides carry the same suspension marker, or neither does (absent on either side counts). */
export function sameSuspension(desired: ManagedObject, live: LiveObject): boolean {
  return desired.metadata.annotations?.[SUSPENDED_ANNOTATION] === live.metadata.annotations?.[SUSPENDED_ANNOTATION];
}

export function sameRoleRef(a: RoleRef | undefined, b: RoleRef | undefined): boolean {
  if (!a || !b) return a === b;
  return (a.apiGroup || RBAC_GROUP) === (b.apiGroup || RBAC_GROUP) && a.kind === b.kind && a.name === b.name;
}

/** Every key Roster sets (desired) has the same value live; keys only others set do not count. */
function sameEntries(
  desired: Record<string, string> | undefined,
  live: Record<string, string> | undefined,
  counts: (key: string) => boolean,
): boolean {
  for (const key in desired) if (counts(key) && live?.[key] !== desired[key]) return false;
  return true;
}

function sameList<T>(
  a: readonly T[] | null | undefined,
  b: readonly T[] | null | undefined,
  same: (x: T, y: T) => boolean,
): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((x, i) => same(x, right[i]!));
}

const sameStrings = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  sameList(a, b, (x, y) => x === y);

function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return (
    sameStrings(a.apiGroups, b.apiGroups) &&
    sameStrings(a.resources, b.resources) &&
    sameStrings(a.resourceNames, b.resourceNames) &&
    sameStrings(a.nonResourceURLs, b.nonResourceURLs) &&
    sameStrings(a.verbs, b.verbs)
  );
}

function sameSubject(a: Subject, b: Subject): boolean {
  if (a.kind !== b.kind || a.name !== b.name) return false;
  if (a.kind !== 'ServiceAccount') return (a.apiGroup || RBAC_GROUP) === (b.apiGroup || RBAC_GROUP);
  return (a.apiGroup || '') === (b.apiGroup || '') && (a.namespace || '') === (b.namespace || '');
}

function scopeFor(desired: ManagedObject | undefined, live: LiveObject | undefined): Scope {
  const ignoreRules = live?.aggregationRule !== undefined && live.aggregationRule !== null;
  if (desired) {
    const annotations = ownedAnnotations(desired.metadata.annotations);
    // A lifted suspension: the marker is only live, and its removal is the change to show.
    if (live?.metadata.annotations?.[SUSPENDED_ANNOTATION] !== undefined && !annotations.includes(SUSPENDED_ANNOTATION))
      annotations.push(SUSPENDED_ANNOTATION);
    return { labels: Object.keys(desired.metadata.labels ?? {}), annotations, ignoreRules };
  }
  // Live only (a prune candidate): show Roster's own labels and annotations.
  const labels = Object.keys(live?.metadata.labels ?? {}).filter(isRosterKey);
  const annotations = ownedAnnotations(live?.metadata.annotations).filter(isRosterKey);
  return { labels, annotations, ignoreRules };
}

function ownedAnnotations(annotations: Record<string, string> | undefined): string[] {
  return Object.keys(annotations ?? {}).filter(isOwnedAnnotation);
}

function isOwnedAnnotation(key: string): boolean {
  return key !== COMMIT_ANNOTATION && key !== PRUNE_ANNOTATION;
}

function isRosterKey(key: string): boolean {
  return key === MANAGED_BY_LABEL || key.startsWith('roster.dev/');
}

function owned(obj: ManagedObject | LiveObject, scope: Scope): OwnedFields {
  const meta = obj.metadata;
  const metadata: OwnedFields['metadata'] = { name: meta.name };
  if (meta.namespace) metadata.namespace = meta.namespace;
  const labels = pick(meta.labels, scope.labels);
  if (labels) metadata.labels = labels;
  const annotations = pick(meta.annotations, scope.annotations);
  if (annotations) metadata.annotations = annotations;
  const out: OwnedFields = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  if (obj.kind === 'ClusterRole' || obj.kind === 'Role') {
    if (!scope.ignoreRules) out.rules = ((obj as { rules?: PolicyRule[] | null }).rules ?? []).map(comparableRule);
  }
  if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
    const binding = obj as { roleRef?: RoleRef; subjects?: Subject[] | null };
    if (binding.roleRef) out.roleRef = normalizeRoleRef(binding.roleRef);
    out.subjects = (binding.subjects ?? []).map(normalizeSubject);
  }
  return out;
}

/** The named keys that are present, in sorted key order; undefined when none are. */
function pick(map: Record<string, string> | undefined, keys: readonly string[]): Record<string, string> | undefined {
  const present = [...keys].filter((k) => map?.[k] !== undefined).sort();
  if (present.length === 0) return undefined;
  return Object.fromEntries(present.map((k) => [k, map![k]!]));
}

/** Fixed field order; empty lists dropped (the API server drops them too). */
export function comparableRule(rule: PolicyRule): PolicyRule {
  const out: Writable<Partial<PolicyRule>> = {};
  if (rule.apiGroups?.length) out.apiGroups = [...rule.apiGroups];
  if (rule.resources?.length) out.resources = [...rule.resources];
  if (rule.resourceNames?.length) out.resourceNames = [...rule.resourceNames];
  if (rule.nonResourceURLs?.length) out.nonResourceURLs = [...rule.nonResourceURLs];
  out.verbs = [...(rule.verbs ?? [])];
  return out as PolicyRule;
}

export function normalizeRoleRef(ref: RoleRef): RoleRef {
  return { apiGroup: ref.apiGroup || RBAC_GROUP, kind: ref.kind, name: ref.name };
}

/** Users and groups default to the RBAC API group; service accounts belong to the core group (none). */
export function normalizeSubject(subject: Subject): Subject {
  if (subject.kind === 'ServiceAccount') {
    const group = subject.apiGroup ? { apiGroup: subject.apiGroup } : {};
    const namespace = subject.namespace ? { namespace: subject.namespace } : {};
    return { kind: subject.kind, ...group, name: subject.name, ...namespace };
  }
  return { kind: subject.kind, apiGroup: subject.apiGroup || RBAC_GROUP, name: subject.name };
}

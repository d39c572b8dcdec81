/**
 * Effective access, deduplicated across teams and tokens: one `Holding` per (cluster, person, role, place), with
 * every holder that grants it. Someone who leaves one team but keeps the role through another loses nothing.
 * Reference counts let `roster audit` update an index commit by commit instead of rebuilding it.
 */

import type { AccessEntry, DesiredState } from '../compile/types.js';
import type { Cluster, Model, RoleScope } from '../model/types.js';
import type { Person } from './types.js';

export interface Holding {
  cluster: string;
  who: Person;
  role: string;
  scope: RoleScope;
  namespace?: string;
  pattern?: boolean;
  /** Holder label (`team payments`) → number of entries it contributes. */
  via: Map<string, number>;
}

export type AccessIndex = Map<string, Holding>;

export function indexAccess(states: readonly DesiredState[], model: Model): AccessIndex {
  const index: AccessIndex = new Map();
  const clusters = new Map(model.clusters.map((c) => [c.name, c]));
  for (const state of states) for (const entry of state.access) addEntry(index, entry, clusters.get(entry.cluster));
  return index;
}

export function addEntry(index: AccessIndex, entry: AccessEntry, cluster: Cluster | undefined): string {
  return addHolding(index, holdingOf(entry, cluster), viaLabel(entry));
}

export function removeEntry(index: AccessIndex, entry: AccessEntry, cluster: Cluster | undefined): string {
  const key = holdingKey(holdingOf(entry, cluster));
  removeHolding(index, key, viaLabel(entry));
  return key;
}

/** Counts one more entry of `via` towards `holding` (a fresh object: the index may keep it). */
export function addHolding(index: AccessIndex, holding: Holding, via: string): string {
  const key = holdingKey(holding);
  let existing = index.get(key);
  if (!existing) index.set(key, (existing = { ...holding, via: new Map() }));
  existing.via.set(via, (existing.via.get(via) ?? 0) + 1);
  return key;
}

export function removeHolding(index: AccessIndex, key: string, via: string): void {
  const existing = index.get(key);
  if (!existing) return;
  const count = (existing.via.get(via) ?? 0) - 1;
  if (count > 0) existing.via.set(via, count);
  else existing.via.delete(via);
  if (existing.via.size === 0) index.delete(key);
}

export function holdingKey(h: Pick<Holding, 'cluster' | 'who' | 'role' | 'namespace'>): string {
  return `${h.cluster}\0${h.who.kind}:${h.who.name}\0${h.role}\0${h.namespace ?? '*'}`;
}

/** `team payments`: a holder's identity (roster audit keys its state by it). */
export function holderLabel(entry: Pick<AccessEntry, 'holder'>): string {
  return `${entry.holder.kind} ${entry.holder.name}`;
}

/** How `roster diff` names where access comes from: `team payments (delegation payments)` for a delegated file. */
export function viaLabel(entry: Pick<AccessEntry, 'holder' | 'delegation'>): string {
  const delegated = entry.delegation === undefined ? '' : ` (delegation ${entry.delegation})`;
  return `${holderLabel(entry)}${delegated}`;
}

/** A copy safe to keep while the index changes. */
export function snapshotHolding(h: Holding | undefined): Holding | undefined {
  return h ? { ...h, via: new Map(h.via) } : undefined;
}

export function holdingOf(entry: AccessEntry, cluster: Cluster | undefined): Holding {
  const place = entry.namespace ?? entry.pattern;
  const holding: Holding = {
    cluster: entry.cluster,
    who: personOf(entry, cluster),
    role: entry.role,
    scope: entry.scope,
    via: new Map(),
  };
  if (place !== undefined) holding.namespace = place;
  if (entry.pattern !== undefined) holding.pattern = true;
  return holding;
}

/** SSO prefixes stripped, so a person reads the same on every cluster; a token's ServiceAccount is the token. */
export function personOf(entry: Pick<AccessEntry, 'subject' | 'holder'>, cluster: Cluster | undefined): Person {
  const { subject } = entry;
  if (subject.kind === 'User') return { kind: 'user', name: unprefix(subject.name, cluster?.userPrefix) };
  if (subject.kind === 'Group') return { kind: 'group', name: unprefix(subject.name, cluster?.groupPrefix) };
  if (entry.holder.kind === 'token') return { kind: 'token', name: entry.holder.name };
  return { kind: 'serviceaccount', name: `${subject.namespace ?? ''}/${subject.name}` };
}

function unprefix(name: string, prefix: string | undefined): string {
  return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** `alice@example.com`, `group payments-eng`, `serviceaccount ci/deployer`, `token ci-deployer` */
export function formatPerson(p: Person): string {
  return p.kind === 'user' ? p.name : `${p.kind} ${p.name}`;
}

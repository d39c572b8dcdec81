/** Narrowing an audit to one person, group, team or cluster. */

import type { AccessChange, ExpiryChange, RoleChange, TokenChange } from '../review/index.js';
import type { StepChanges } from './replay.js';

export interface AuditFilter {
  /** A user, as written in team files (no SSO prefix). */
  subject?: string;
  group?: string;
  team?: string;
  cluster?: string;
}

export function isFiltered(f: AuditFilter): boolean {
  return Boolean(f.subject || f.group || f.team || f.cluster);
}

export function filterChanges(changes: StepChanges, f: AuditFilter): StepChanges {
  return {
    access: changes.access.flatMap((c) => accessMatch(c, f)),
    expiries: changes.expiries.flatMap((c) => accessMatch(c, f)),
    tokens: changes.tokens.filter((t) => tokenMatch(t, f)),
    roles: changes.roles.flatMap((r) => roleMatch(r, f)),
  };
}

function accessMatch<C extends AccessChange | ExpiryChange>(c: C, f: AuditFilter): C[] {
  if (f.subject && !(c.who.kind === 'user' && c.who.name === f.subject)) return [];
  if (f.group && !(c.who.kind === 'group' && c.who.name === f.group)) return [];
  if (f.team && !c.via.includes(`team ${f.team}`)) return [];
  if (f.cluster) return c.clusters.includes(f.cluster) ? [{ ...c, clusters: [f.cluster] }] : [];
  return [c];
}

/** Tokens belong to a team (their owner); they are nobody's personal access. */
function tokenMatch(t: TokenChange, f: AuditFilter): boolean {
  if (f.subject || f.group) return false;
  return !f.team || t.owner === f.team;
}

function roleMatch(r: RoleChange, f: AuditFilter): RoleChange[] {
  const affected = r.affected
    .filter((a) => !f.subject || (a.who.kind === 'user' && a.who.name === f.subject))
    .filter((a) => !f.group || (a.who.kind === 'group' && a.who.name === f.group))
    .flatMap((a) => (!f.cluster ? [a] : a.clusters.includes(f.cluster) ? [{ ...a, clusters: [f.cluster] }] : []));
  if (affected.length === 0 && (f.subject || f.group || f.cluster)) return [];
  if (f.team) return [];
  return [{ ...r, affected }];
}

/**
 * Suspensions at compile time: members a Suspension in force names are taken out of their holder's subjects before
 * any binding is built, on every cluster, so no grant of any team can bring them back. Pure: `now` is passed in.
 */

import { suspensionIndex, type SuspendedKind, type SuspensionIndex } from '../model/suspensions.js';
import type { AccessToken, Members, Model, Suspension, Team } from '../model/types.js';
import { formatTime } from '../time.js';
import { compareCodeUnits as cmp } from '../compare.js';
import { formatSource } from './select.js';
import type { Holder, SuspendedMember } from './types.js';

export interface Suspensions {
  index: SuspensionIndex;
  /** Every member left out, filled while holders are built. */
  members: SuspendedMember[];
}

export function suspensionsAt(model: Model, now: Date): Suspensions {
  return { index: suspensionIndex(model, now), members: [] };
}

/** The team's members without the suspended ones; each one left out is recorded. */
export function activeMembers(team: Team, s: Suspensions): Members {
  const holder: Holder = { kind: 'team', name: team.name };
  const keep = (kind: SuspendedKind) => (name: string) => {
    const suspension = s.index.of(kind, name);
    if (suspension) s.members.push(member(holder, kind, name, suspension));
    return !suspension;
  };
  return {
    users: team.members.users.filter(keep('User')),
    groups: team.members.groups.filter(keep('Group')),
    serviceAccounts: team.members.serviceAccounts.filter(keep('ServiceAccount')),
  };
}

/** The suspension in force for a token (by its name or its ServiceAccount), recorded when there is one. */
export function tokenSuspension(token: AccessToken, s: Suspensions): Suspension | undefined {
  const suspension = s.index.of('AccessToken', token.name);
  if (suspension) s.members.push(member({ kind: 'token', name: token.name }, 'AccessToken', token.name, suspension));
  return suspension;
}

export function describeSuspension(suspension: Suspension): string {
  const until = suspension.expires ? ` until ${formatTime(suspension.expires)}` : '';
  return `suspended by Suspension ${suspension.name}${until}: ${suspension.reason}`;
}

export function sortMembers(members: SuspendedMember[]): SuspendedMember[] {
  return members.sort(
    (a, b) =>
      cmp(a.holder.kind, b.holder.kind) ||
      cmp(a.holder.name, b.holder.name) ||
      cmp(a.kind, b.kind) ||
      cmp(a.name, b.name),
  );
}

function member(holder: Holder, kind: SuspendedKind, name: string, s: Suspension): SuspendedMember {
  const out: SuspendedMember = {
    holder,
    kind,
    name,
    suspension: s.name,
    reason: s.reason,
    source: formatSource(s.source),
  };
  if (s.expires) out.until = formatTime(s.expires);
  return out;
}

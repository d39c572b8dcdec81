/**
 * Whether the identity an access view or a `can-i` question is about is suspended, said in words. Names may come
 * as written in Git or as an API server sees them (with a cluster's prefix, or `system:serviceaccount:NS:NAME`);
 * both are matched. Pure: the suspension index is built by the caller with its clock.
 */

import type { SuspensionIndex, SuspendedKind } from '../model/suspensions.js';
import type { Suspension } from '../model/types.js';
import { formatTime } from '../time.js';
import type { Identity, Prefixes } from './identity.js';

export function suspensionNotes(index: SuspensionIndex, identity: Identity, prefixes: readonly Prefixes[]): string[] {
  const notes: string[] = [];
  const check = (kind: SuspendedKind, name: string, shown: string): void => {
    const s = index.of(kind, name);
    if (s) notes.push(`${shown} is ${describe(s)}; Roster leaves it out of every binding on every cluster`);
  };
  const sa = serviceAccountOf(identity);
  if (identity.token !== undefined) check('AccessToken', identity.token, `AccessToken ${identity.token}`);
  else if (sa !== undefined) check('ServiceAccount', sa, `ServiceAccount ${sa}`);
  else if (identity.user !== undefined) {
    check(
      'User',
      unprefixed(
        identity.user,
        prefixes.map((p) => p.userPrefix),
      ),
      `User ${identity.user}`,
    );
  }
  for (const g of identity.groups)
    check(
      'Group',
      unprefixed(
        g,
        prefixes.map((p) => p.groupPrefix),
      ),
      `Group ${g}`,
    );
  return notes;
}

function describe(s: Suspension): string {
  const until = s.expires ? ` until ${formatTime(s.expires)}` : '';
  return `suspended by Suspension ${s.name}${until} (${s.reason})`;
}

function serviceAccountOf(identity: Identity): string | undefined {
  if (identity.serviceAccount !== undefined) return identity.serviceAccount;
  const m = identity.user === undefined ? null : /^system:serviceaccount:([^:]+):([^:]+)$/.exec(identity.user);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function unprefixed(name: string, prefixes: readonly string[]): string {
  const prefix = prefixes.find((p) => p !== '' && name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

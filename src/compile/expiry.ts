/** Upcoming expiries: every grant and token that still works today but stops on a known date. */

import { formatTime } from '../time.js';
import type { Grant, Model } from '../model/types.js';
import type { Holder, UpcomingExpiry } from './types.js';
import { formatSource } from './select.js';
import { compareCodeUnits } from '../compare.js';

export function upcomingExpiries(model: Model, now: Date): UpcomingExpiry[] {
  const out: UpcomingExpiry[] = [];
  for (const team of model.teams) addGrants(out, { kind: 'team', name: team.name }, team.grants, now);
  for (const token of model.tokens) {
    if (token.expires.getTime() <= now.getTime()) continue;
    const holder: Holder = { kind: 'token', name: token.name };
    out.push({ holder, expires: formatTime(token.expires), source: formatSource(token.source) });
    addGrants(out, holder, token.grants, now);
  }
  return out.sort(compareExpiries);
}

function addGrants(out: UpcomingExpiry[], holder: Holder, grants: readonly Grant[], now: Date): void {
  for (const grant of grants) {
    if (grant.expires && grant.expires.getTime() > now.getTime()) {
      out.push({ holder, role: grant.role, expires: formatTime(grant.expires), source: formatSource(grant.source) });
    }
  }
}

/** By date (ISO strings sort chronologically), then holder, role, source. */
function compareExpiries(a: UpcomingExpiry, b: UpcomingExpiry): number {
  return (
    compareCodeUnits(a.expires, b.expires) ||
    compareCodeUnits(a.holder.kind, b.holder.kind) ||
    compareCodeUnits(a.holder.name, b.holder.name) ||
    compareCodeUnits(a.role ?? '', b.role ?? '') ||
    compareCodeUnits(a.source, b.source)
  );
}

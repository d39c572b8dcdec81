/**
 * Access kept on both sides whose end moved: a grant extended or shortened, made permanent or made temporary. The
 * holdings are the same, so the gains and losses miss it; a reviewer still needs to see that alice keeps editor
 * four hours longer.
 */

import { compareCodeUnits } from '../compare.js';
import type { DesiredState } from '../compile/types.js';
import type { Model } from '../model/types.js';
import { compareChanges } from './changes.js';
import { holdingKey, holdingOf, type AccessIndex } from './holdings.js';
import type { ExpiryChange, TokenChange } from './types.js';

/** Holding key → when that access ends: the latest end of the entries behind it, `null` once any never ends. */
export type AccessEnds = Map<string, string | null>;

export function accessEnds(states: readonly Pick<DesiredState, 'access'>[], model: Model): AccessEnds {
  const ends: AccessEnds = new Map();
  const clusters = new Map(model.clusters.map((c) => [c.name, c]));
  for (const state of states)
    for (const entry of state.access) {
      const key = holdingKey(holdingOf(entry, clusters.get(entry.cluster)));
      const known = ends.get(key);
      if (known === null) continue;
      if (entry.expires === undefined) ends.set(key, null);
      else if (known === undefined || Date.parse(entry.expires) > Date.parse(known)) ends.set(key, entry.expires);
    }
  return ends;
}

/** One change per person, role, place and (old end, new end), grouped across clusters; via as held after. */
export function expiryChanges(
  before: { index: AccessIndex; ends: AccessEnds },
  after: { index: AccessIndex; ends: AccessEnds },
): ExpiryChange[] {
  const groups = new Map<string, { change: ExpiryChange; via: Set<string> }>();
  for (const [key, holding] of after.index) {
    if (!before.index.has(key)) continue;
    const was = before.ends.get(key) ?? null;
    const now = after.ends.get(key) ?? null;
    if (was === now || (was !== null && now !== null && Date.parse(was) === Date.parse(now))) continue;
    const id = [holding.who.kind, holding.who.name, holding.role, holding.namespace ?? '*', was, now].join('\0');
    let group = groups.get(id);
    if (!group) {
      const change: ExpiryChange = {
        change: kindOf(was, now),
        who: holding.who,
        role: holding.role,
        scope: holding.scope,
        ...(holding.namespace !== undefined ? { namespace: holding.namespace } : {}),
        ...(holding.pattern ? { pattern: true } : {}),
        clusters: [],
        via: [],
        ...(was !== null ? { before: was } : {}),
        ...(now !== null ? { after: now } : {}),
      };
      groups.set(id, (group = { change, via: new Set() }));
    }
    group.change.clusters.push(holding.cluster);
    for (const via of holding.via.keys()) group.via.add(via);
  }
  return [...groups.values()]
    .map(({ change, via }) => ({ ...change, clusters: [...new Set(change.clusters)].sort(), via: [...via].sort() }))
    .sort(
      (a, b) =>
        compareChanges({ ...a, change: 'gains', risks: [] }, { ...b, change: 'gains', risks: [] }) ||
        compareCodeUnits(a.before ?? '', b.before ?? '') ||
        compareCodeUnits(a.after ?? '', b.after ?? ''),
    );
}

function kindOf(was: string | null, now: string | null): ExpiryChange['change'] {
  if (was === null) return 'made-temporary';
  if (now === null) return 'made-permanent';
  return Date.parse(now) > Date.parse(was) ? 'extended' : 'shortened';
}

/** A token's access that ends when the token does: the token line already says it lives longer or shorter. */
export function endsWithItsToken(c: ExpiryChange, tokens: readonly TokenChange[]): boolean {
  if (c.who.kind !== 'token') return false;
  const t = tokens.find((t) => t.token === c.who.name);
  return t !== undefined && t.before === c.before && t.after === c.after;
}

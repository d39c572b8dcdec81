/** Tokens added, removed, or living longer or shorter. A longer life is a risk: a leaked token stays useful longer. */

import type { AccessToken, Model } from '../model/types.js';
import { RiskCodes, type TokenChange } from './types.js';
import { formatTime } from '../time.js';

export function tokenChanges(before: Model, after: Model): TokenChange[] {
  const old = new Map(before.tokens.map((t) => [t.name, t]));
  const now = new Map(after.tokens.map((t) => [t.name, t]));
  const changes: TokenChange[] = [];
  for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const change = compareToken(old.get(name), now.get(name));
    if (change) changes.push(change);
  }
  return changes;
}

function compareToken(before: AccessToken | undefined, after: AccessToken | undefined): TokenChange | undefined {
  if (!before && after)
    return { token: after.name, change: 'added', owner: after.owner, after: formatTime(after.expires), risks: [] };
  if (before && !after)
    return {
      token: before.name,
      change: 'removed',
      owner: before.owner,
      before: formatTime(before.expires),
      risks: [],
    };
  if (!before || !after || before.expires.getTime() === after.expires.getTime()) return undefined;
  const longer = after.expires > before.expires;
  return {
    token: after.name,
    change: longer ? 'extended' : 'shortened',
    owner: after.owner,
    before: formatTime(before.expires),
    after: formatTime(after.expires),
    risks: longer
      ? [
          {
            code: RiskCodes.tokenLifetime,
            message: `lives ${days(after.expires.getTime() - before.expires.getTime())} longer`,
          },
        ]
      : [],
  };
}

function days(ms: number): string {
  const n = Math.round(ms / 86_400_000);
  return n === 1 ? '1 day' : `${n} days`;
}

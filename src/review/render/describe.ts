/** Sentences about access changes, shared by the text and markdown reports and by `roster audit`. */

import { formatPerson } from '../holdings.js';
import type { AccessChange, ExpiryChange, ObjectSummary, Person, RoleChange, TokenChange } from '../types.js';

/** Wraps names the way a format wants them (markdown: `code`). */
export type Quote = (s: string) => string;
const plain: Quote = (s) => s;

/** `alice@example.com gains editor in payments on prod-eu, prod-us` */
export function describeAccess(c: AccessChange, q: Quote = plain): string {
  const where = c.namespace === undefined ? '' : ` in ${q(c.namespace)}${c.pattern ? ' (pattern)' : ''}`;
  const time = c.byTime ? (c.change === 'gains' ? ' (its grant window opened)' : ' (expired)') : '';
  return `${formatPerson(c.who)} ${c.change} ${q(c.role)}${where} on ${c.clusters.map(q).join(', ')}${time}`;
}

/** `alice@example.com editor in payments on prod-eu: until 2026-12-02T12:00:00Z → until 2026-12-02T16:00:00Z
 * (extended)`; `permanent` for no end. */
export function describeExpiry(c: ExpiryChange, q: Quote = plain): string {
  const where = c.namespace === undefined ? '' : ` in ${q(c.namespace)}${c.pattern ? ' (pattern)' : ''}`;
  const end = (time: string | undefined) => (time === undefined ? 'permanent' : `until ${day(time)}`);
  return (
    `${formatPerson(c.who)} ${q(c.role)}${where} on ${c.clusters.map(q).join(', ')}: ` +
    `${end(c.before)} → ${end(c.after)} (${c.change.replace('-', ' ')})`
  );
}

export function describeVia(c: Pick<AccessChange, 'via' | 'delegations'>): string {
  const label = (via: string) => {
    const delegation = c.delegations?.[via];
    return delegation === undefined ? via : `${via} (delegation ${delegation})`;
  };
  return c.via.length > 0 ? `via ${c.via.map(label).join(', ')}` : '';
}

export function describeToken(t: TokenChange, q: Quote = plain): string {
  const owner = `owner ${t.owner}`;
  if (t.change === 'added') return `token ${q(t.token)} added (${owner}), expires ${day(t.after)}`;
  if (t.change === 'removed') return `token ${q(t.token)} removed (${owner})`;
  return `token ${q(t.token)} ${t.change} (${owner}): expires ${day(t.before)} → ${day(t.after)}`;
}

export function describeRole(r: RoleChange, q: Quote = plain): string {
  const held = r.affected.map((a) => `${formatPerson(a.who)} on ${a.clusters.map(q).join(', ')}`);
  return `role ${q(r.role)}: rules changed; ${held.length > 0 ? `held by ${held.join('; ')}` : 'held by nobody'}`;
}

export function describeObjects(o: ObjectSummary): string {
  return `${o.created.length} created, ${o.updated.length} updated, ${o.deleted.length} deleted`;
}

export function personKey(p: Person): string {
  return `${p.kind}:${p.name}`;
}

/** `2027-01-01` for midnight UTC, else the full time (`time` comes from formatTime). */
export function day(time: string | undefined): string {
  if (!time) return 'never';
  return time.endsWith('T00:00:00Z') ? time.slice(0, 10) : time;
}

/** Who a command grants to: `user:EMAIL`, `group:NAME` or `sa:NAMESPACE/NAME`, and where such a member is listed. */

import { EditError } from './errors.js';
import type { Members } from '../model/types.js';

export interface Subject {
  kind: 'user' | 'group' | 'serviceAccount';
  /** `alice@example.com`, `payments-eng`, `ci/deployer` */
  name: string;
}

/** The list in a team's `spec.members` that holds this kind of subject. */
export const MEMBER_FIELD = {
  user: 'users',
  group: 'groups',
  serviceAccount: 'serviceAccounts',
} as const satisfies Record<Subject['kind'], keyof Members>;

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const FORMS = 'write user:alice@example.com, group:payments-eng or sa:NAMESPACE/NAME';

/** `user:EMAIL`, `group:NAME` or `sa:NAMESPACE/NAME`; anything else is refused with the forms that work (exit 2). */
export function parseSubject(text: string): Subject {
  // JSON quoting shows a stray newline or tab as \n / \t instead of breaking the message.
  const quoted = JSON.stringify(text);
  const bad = (what: string) => new EditError('invalid-request', `subject ${quoted}: ${what}`, { subject: text });
  const match = /^(user|group|sa):(.*)$/s.exec(text);
  if (!match) throw bad(`not of the form user:EMAIL, group:NAME or sa:NS/NAME (${FORMS})`);
  const [, prefix, name = ''] = match;
  if (name === '') throw bad(`the name after "${prefix}:" is missing (${FORMS})`);
  if (/[\s\p{Cc}]/u.test(name)) throw bad(`a name cannot contain spaces, tabs or line breaks (${FORMS})`);
  if (prefix === 'sa') {
    const [ns, sa, ...rest] = name.split('/');
    if (!ns || !sa || rest.length > 0 || !NAME.test(ns) || !NAME.test(sa))
      throw bad('a service account is sa:NAMESPACE/NAME in lower case, e.g. sa:ci/deployer');
    return { kind: 'serviceAccount', name };
  }
  return { kind: prefix === 'user' ? 'user' : 'group', name };
}

export function formatSubject(s: Subject): string {
  return `${s.kind === 'serviceAccount' ? 'sa' : s.kind}:${s.name}`;
}

/** `alice@example.com`, `group payments-eng`, `service account ci/deployer`: as reports name people. */
export function describeSubject(s: Subject): string {
  if (s.kind === 'user') return s.name;
  return s.kind === 'group' ? `group ${s.name}` : `service account ${s.name}`;
}

export function isMember(members: Members, s: Subject): boolean {
  return members[MEMBER_FIELD[s.kind]].includes(s.name);
}

/** A team name for someone's own team: `alice` for alice@example.com, `ci-deployer` for sa:ci/deployer. */
export function personalTeamName(s: Subject): string {
  const base = s.kind === 'user' ? (s.name.split('@')[0] ?? s.name) : s.name.replace('/', '-');
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'member'
  );
}

/**
 * Which suspensions are in force at a given time, and who they name. Pure: the clock is an argument, so compile
 * stays a function of its inputs. A suspension naming a token also names its ServiceAccount, and the other way round.
 */

import type { Model, Settings, Suspension } from './types.js';

export type SuspendedKind = 'User' | 'Group' | 'ServiceAccount' | 'AccessToken';

export interface SuspensionIndex {
  /** Suspensions in force, by name. */
  readonly inForce: readonly Suspension[];
  /** The suspension (the first by name) naming this subject, as written in Git; undefined when not suspended. */
  of(kind: SuspendedKind, name: string): Suspension | undefined;
}

export function inForce(suspension: Suspension, now: Date): boolean {
  return suspension.expires === undefined || suspension.expires.getTime() > now.getTime();
}

export function suspensionIndex(model: Pick<Model, 'suspensions' | 'settings'>, now: Date): SuspensionIndex {
  const active = (model.suspensions ?? []).filter((s) => inForce(s, now));
  const byKey = new Map<string, Suspension>();
  const add = (kind: SuspendedKind, name: string, s: Suspension): void => {
    const key = `${kind}\0${name}`;
    if (!byKey.has(key)) byKey.set(key, s);
  };
  for (const s of active) {
    for (const u of s.subjects.users) add('User', u, s);
    for (const g of s.subjects.groups) add('Group', g, s);
    for (const sa of s.subjects.serviceAccounts) {
      add('ServiceAccount', sa, s);
      const token = tokenOfServiceAccount(sa, model.settings);
      if (token) add('AccessToken', token, s);
    }
    for (const t of s.subjects.tokens) {
      add('AccessToken', t, s);
      add('ServiceAccount', `${model.settings.tokenNamespace}/${t}`, s);
    }
  }
  return { inForce: active, of: (kind, name) => byKey.get(`${kind}\0${name}`) };
}

/** "roster-tokens/ci-deployer" → "ci-deployer" when the namespace is the token namespace. */
function tokenOfServiceAccount(ref: string, settings: Settings): string | undefined {
  const prefix = `${settings.tokenNamespace}/`;
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}

/** Every subject a suspension names, as `Kind name` pairs, in the order written. */
export function suspendedSubjects(s: Suspension): { kind: SuspendedKind; name: string }[] {
  return [
    ...s.subjects.users.map((name) => ({ kind: 'User' as const, name })),
    ...s.subjects.groups.map((name) => ({ kind: 'Group' as const, name })),
    ...s.subjects.serviceAccounts.map((name) => ({ kind: 'ServiceAccount' as const, name })),
    ...s.subjects.tokens.map((name) => ({ kind: 'AccessToken' as const, name })),
  ];
}

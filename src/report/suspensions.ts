/**
 * Suspensions in reports: who a Suspension in force leaves out of every binding, on every cluster, and why.
 * One renderer, used by validate, plan, apply, access, can-i and diff, so they all say it the same way.
 */

import type { SuspendedMember } from '../compile/types.js';
import { compareCodeUnits } from '../compare.js';

export interface SuspendedSubject {
  kind: SuspendedMember['kind'];
  name: string;
  suspension: string;
  reason: string;
  until?: string;
  source: string;
  /** "team payments", "token ci-deployer": whose bindings leave the subject out. */
  holders: string[];
}

/** One entry per suspended subject, holders merged, in subject order. */
export function suspendedSubjects(members: readonly SuspendedMember[]): SuspendedSubject[] {
  const bySubject = new Map<string, SuspendedSubject>();
  for (const m of members) {
    const key = `${m.kind}\0${m.name}`;
    let entry = bySubject.get(key);
    if (!entry) {
      entry = { kind: m.kind, name: m.name, suspension: m.suspension, reason: m.reason, source: m.source, holders: [] };
      if (m.until) entry.until = m.until;
      bySubject.set(key, entry);
    }
    entry.holders.push(`${m.holder.kind} ${m.holder.name}`);
  }
  return [...bySubject.values()].sort((a, b) => compareCodeUnits(a.kind, b.kind) || compareCodeUnits(a.name, b.name));
}

/** `User alice@example.com: suspended by Suspension offboarding until …: reason (team payments)`. */
export function describeSuspended(s: SuspendedSubject): string {
  const until = s.until ? ` until ${s.until}` : '';
  const holders = s.holders.length > 0 ? ` (left out of ${s.holders.join(', ')})` : '';
  return `${s.kind} ${s.name}: suspended by Suspension ${s.suspension}${until}: ${s.reason}${holders}  ${s.source}`;
}

/** A section for text reports; empty string when nobody is suspended, so callers can print it unconditionally. */
export function renderSuspended(members: readonly SuspendedMember[]): string {
  const subjects = suspendedSubjects(members);
  if (subjects.length === 0) return '';
  const lines = subjects.map((s) => `  ${describeSuspended(s)}\n`).join('');
  return `Suspended (${subjects.length}), left out of every binding on every cluster:\n${lines}`;
}

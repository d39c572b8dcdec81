/**
 * Suspensions added, lifted or changed between two versions of the config, in words: a reviewer sees "alice is
 * suspended" rather than only the bindings she drops out of.
 */

import { suspendedSubjects } from '../model/suspensions.js';
import type { Model, Suspension } from '../model/types.js';
import { formatTime } from '../time.js';
import type { SuspensionChange } from './types.js';
import { compareCodeUnits } from '../compare.js';

export function suspensionChanges(base: Model, head: Model): SuspensionChange[] {
  const before = new Map((base.suspensions ?? []).map((s) => [s.name, s]));
  const after = new Map((head.suspensions ?? []).map((s) => [s.name, s]));
  const out: SuspensionChange[] = [];
  for (const [name, s] of after) {
    const old = before.get(name);
    if (!old) out.push(change(s, 'added'));
    else if (fingerprint(old) !== fingerprint(s)) out.push(change(s, 'changed'));
  }
  for (const [name, s] of before) if (!after.has(name)) out.push(change(s, 'lifted'));
  return out.sort((a, b) => compareCodeUnits(a.suspension, b.suspension));
}

export function describeSuspensionChange(c: SuspensionChange): string {
  const who = c.subjects.join(', ');
  const until = c.until ? ` until ${c.until}` : '';
  if (c.change === 'lifted') return `Suspension ${c.suspension} lifted: ${who} get their access back`;
  const verb = c.change === 'added' ? 'suspends' : 'now suspends';
  return `Suspension ${c.suspension} ${verb} ${who}${until}: ${c.reason}`;
}

function change(s: Suspension, kind: SuspensionChange['change']): SuspensionChange {
  const out: SuspensionChange = {
    suspension: s.name,
    change: kind,
    subjects: suspendedSubjects(s).map((x) => `${x.kind} ${x.name}`),
    reason: s.reason,
  };
  if (s.expires) out.until = formatTime(s.expires);
  return out;
}

function fingerprint(s: Suspension): string {
  return JSON.stringify([s.reason, s.subjects, s.expires?.getTime() ?? null]);
}

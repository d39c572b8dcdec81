/** Names are unique per kind across the whole repository; Settings exists at most once. */

import type { Diagnostic } from '../diagnostics.js';
import type { Check, Declared } from './context.js';
import { diag, where } from './report.js';

export const checkDuplicates: Check = (ctx) => {
  const byKey = new Map<string, Declared[]>();
  for (const d of ctx.declared) {
    const key = d.kind === 'Settings' ? 'Settings' : `${d.kind}/${d.name}`;
    byKey.set(key, [...(byKey.get(key) ?? []), d]);
  }
  const out: Diagnostic[] = [];
  for (const group of byKey.values()) {
    if (group.length > 1)
      out.push(
        ...group.map((d) =>
          duplicate(
            d,
            group.filter((o) => o !== d),
          ),
        ),
      );
  }
  return out;
};

function duplicate(d: Declared, others: Declared[]): Diagnostic {
  const elsewhere = others.map((o) => where(o.doc, ['metadata', 'name'])).join(', ');
  if (d.kind === 'Settings') {
    return diag(d.doc, ['kind'], 'duplicate-settings', `more than one Settings document (also at ${elsewhere})`, {
      hint: 'keep a single Settings document, conventionally in roster.yaml',
    });
  }
  return diag(
    d.doc,
    ['metadata', 'name'],
    'duplicate-name',
    `duplicate ${d.kind} "${d.name}" (also defined at ${elsewhere})`,
    {
      hint: `${d.kind} names must be unique across the repository: rename or merge one of them`,
    },
  );
}

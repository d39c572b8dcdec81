/** JSON paths as Roster prints them: `spec.grants[1].role`, `metadata.labels["example.com/team"]`. */

import type { JsonPath } from '../load/types.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

export function formatPath(path: JsonPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (IDENTIFIER.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** An ajv instancePath (`/spec/grants/1`) as path steps, numbers where the value walked through is an array. */
export function pointerToPath(root: unknown, pointer: string): (string | number)[] {
  if (pointer === '') return [];
  const steps: (string | number)[] = [];
  let value = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step = Array.isArray(value) ? Number(key) : key;
    steps.push(step);
    value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[step] : undefined;
  }
  return steps;
}

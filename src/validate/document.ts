/** One document on its own: a mapping with a known kind that its kind's schema accepts. */

import type { Diagnostic } from '../diagnostics.js';
import { jsonSafe } from '../load/cache.js';
import { TAGGED_HINT, taggedValue } from '../load/tagged.js';
import type { JsonPath, LoadedDocument } from '../load/types.js';
import { Kinds, type Kind } from '../model/types.js';
import { diag } from './report.js';
import { schemaDiagnostics } from './schema-errors.js';
import { schemaValidator } from './schemas.js';
import { didYouMean } from './suggest.js';

export function checkDocument(doc: LoadedDocument): Diagnostic[] {
  const value = doc.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [diag(doc, [], 'schema', 'a Roster document must be a mapping with apiVersion, kind, metadata and spec')];
  }
  const kind = (value as { kind?: unknown }).kind;
  if (kind === undefined) {
    return [diag(doc, ['kind'], 'schema', 'missing required field "kind"', { hint: `one of ${Kinds.join(', ')}` })];
  }
  const taggedKind = taggedValue(kind);
  if (taggedKind)
    return [
      diag(doc, ['kind'], 'unknown-kind', `${taggedKind}, not a string`, {
        hint: `${TAGGED_HINT}: one of ${Kinds.join(', ')}`,
      }),
    ];
  if (!(Kinds as readonly unknown[]).includes(kind)) {
    const shown = JSON.stringify(kind);
    const mean = typeof kind === 'string' ? didYouMean(kind, Kinds) : '';
    return [
      diag(doc, ['kind'], 'unknown-kind', `unknown kind ${shown}${mean}`, { hint: `known kinds: ${Kinds.join(', ')}` }),
    ];
  }
  const validator = schemaValidator(kind as Kind);
  const errors = validator(value) ? [] : (validator.errors ?? []);
  // Plain JSON (every document but a rare tagged one) holds no tagged value: a walk without a path per node.
  const tagged = jsonSafe(value) ? [] : taggedValues(value, []);
  if (tagged.length === 0) return schemaDiagnostics(doc, errors);
  // A tagged value is reported once, at its own place: `a !!binary value, not a string` when the schema expected
  // something else there, else in general terms; what the schema says inside it (a Set has no fields) is noise.
  const pointers = tagged.map((t) => toPointer(t.path));
  const kept = errors.filter((e) =>
    pointers.every((p) => !(e.instancePath === p ? e.keyword !== 'type' : e.instancePath.startsWith(`${p}/`))),
  );
  const typed = new Set(kept.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const general = tagged
    .filter((t) => !typed.has(toPointer(t.path)))
    .map((t) =>
      diag(doc, t.path, 'schema', `${t.what}, not plain YAML data (a mapping, list, string, number or boolean)`, {
        hint: TAGGED_HINT,
      }),
    );
  return [...schemaDiagnostics(doc, kept), ...general];
}

/** Every value a YAML type tag made into something other than JSON, with its path; not looking inside one. */
function taggedValues(value: unknown, path: JsonPath): Array<{ path: JsonPath; what: string }> {
  const what = taggedValue(value);
  if (what) return [{ path, what }];
  if (Array.isArray(value)) return value.flatMap((v, i) => taggedValues(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => taggedValues(v, [...path, k]));
  return [];
}

/** The JSON pointer ajv reports for a path (`/spec/grants/0`). */
function toPointer(path: JsonPath): string {
  return path.map((step) => `/${String(step).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

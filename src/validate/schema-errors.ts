/**
 * ajv's errors as Diagnostics a person can act on: unknown fields with a suggestion, enums listed, formats shown by
 * example, patterns explained by the schema's own `patternErrorMessage` (the message editors show too).
 */

import type { ErrorObject } from 'ajv';
import type { Diagnostic, DiagnosticCode } from '../diagnostics.js';
import { TAGGED_HINT, taggedValue } from '../load/tagged.js';
import type { LoadedDocument } from '../load/types.js';
import { pointerToPath } from './paths.js';
import { diag } from './report.js';
import { didYouMean } from './suggest.js';

type SchemaNode = Record<string, unknown>;
type Phrase = (e: ErrorObject) => string;

const FORMAT_EXAMPLES: Record<string, string> = { 'date-time': 'a date-time like 2027-01-01T00:00:00Z' };

const COMPARISONS: Record<string, string> = { '<=': 'at most', '>=': 'at least', '<': 'less than', '>': 'more than' };

const PHRASES: Record<string, Phrase> = {
  required: (e) => `missing required field "${String(e.params.missingProperty)}"`,
  enum: (e) => `${show(e.data)} must be one of ${(e.params.allowedValues as unknown[]).join(', ')}${suggestion(e)}`,
  const: (e) => `must be ${String(e.params.allowedValue)}, got ${show(e.data)}`,
  format: (e) =>
    `expected ${FORMAT_EXAMPLES[String(e.params.format)] ?? `a ${String(e.params.format)}`}, got ${show(e.data)}`,
  type: (e) => {
    const tagged = taggedValue(e.data);
    const expected = article(String(e.params.type));
    return tagged ? `${tagged}, not ${expected}` : `expected ${expected}, got ${typeName(e.data)}`;
  },
  pattern: (e) => `${show(e.propertyName ?? e.data)} ${patternMessage(e)}`,
  minItems: (e) => `must have at least ${plural(Number(e.params.limit), 'item')}`,
  maxItems: (e) => `must have at most ${plural(Number(e.params.limit), 'item')}`,
  minLength: (e) =>
    e.params.limit === 1 ? 'must not be empty' : `must be at least ${String(e.params.limit)} characters long`,
  maxLength: (e) =>
    `must be at most ${String(e.params.limit)} characters long, got ${String((e.data as string).length)}`,
  minimum: (e) =>
    `must be ${COMPARISONS[String(e.params.comparison)]} ${String(e.params.limit)}, got ${String(e.data)}`,
  maximum: (e) =>
    `must be ${COMPARISONS[String(e.params.comparison)]} ${String(e.params.limit)}, got ${String(e.data)}`,
  minProperties: (e) => exactlyOne(e) ?? `must have at least ${plural(Number(e.params.limit), 'entry', 'entries')}`,
  maxProperties: (e) => exactlyOne(e) ?? `must have at most ${plural(Number(e.params.limit), 'entry', 'entries')}`,
};

/** Keywords that only wrap another error already reported. */
const WRAPPERS = new Set(['propertyNames', 'if', 'allOf', 'anyOf', 'oneOf', '$ref']);

export function schemaDiagnostics(doc: LoadedDocument, errors: readonly ErrorObject[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const d = toDiagnostic(doc, e);
    const id = `${d.path}\0${e.keyword === 'additionalProperties' ? 'key' : 'value'}`;
    if (seen.has(id)) continue; // one problem per value is enough: `""` fails minLength and pattern alike
    seen.add(id);
    out.push(d);
  }
  return out;
}

function toDiagnostic(doc: LoadedDocument, e: ErrorObject): Diagnostic {
  const base = pointerToPath(doc.value, e.instancePath);
  if (e.keyword === 'additionalProperties') return unknownField(doc, base, e);
  if (e.keyword === 'required')
    return diag(doc, [...base, String(e.params.missingProperty)], 'schema', PHRASES.required!(e));
  const path = e.propertyName === undefined ? base : [...base, e.propertyName];
  const code = (parentSchema(e)['x-diagnostic'] as DiagnosticCode | undefined) ?? 'schema';
  const phrase = PHRASES[e.keyword] ?? ((x: ErrorObject) => x.message ?? 'is invalid');
  const hint = taggedValue(e.data) ? { hint: TAGGED_HINT } : {};
  return diag(doc, path, code, phrase(e), { key: e.propertyName !== undefined, ...hint });
}

function unknownField(doc: LoadedDocument, base: (string | number)[], e: ErrorObject): Diagnostic {
  const field = String(e.params.additionalProperty);
  const allowed = Object.keys((parentSchema(e).properties as SchemaNode | undefined) ?? {});
  const mean = didYouMean(field, allowed);
  const hint = mean || allowed.length === 0 ? undefined : `allowed fields here: ${allowed.join(', ')}`;
  return diag(doc, [...base, field], 'unknown-field', `unknown field "${field}"${mean}`, {
    key: true,
    ...(hint ? { hint } : {}),
  });
}

function parentSchema(e: ErrorObject): SchemaNode {
  return e.parentSchema ?? {};
}

function patternMessage(e: ErrorObject): string {
  const custom = parentSchema(e).patternErrorMessage;
  return typeof custom === 'string' ? custom : `must match ${String(e.params.pattern)}`;
}

function exactlyOne(e: ErrorObject): string | undefined {
  const s = parentSchema(e);
  if (s.minProperties !== 1 || s.maxProperties !== 1) return undefined;
  return `set exactly one of ${Object.keys((s.properties as SchemaNode | undefined) ?? {}).join(' or ')}`;
}

function suggestion(e: ErrorObject): string {
  return typeof e.data === 'string' ? didYouMean(e.data, (e.params.allowedValues as unknown[]).map(String)) : '';
}

function show(value: unknown): string {
  const tagged = taggedValue(value);
  if (tagged) return tagged;
  // JSON has no Infinity (`1e400` in YAML): it would print as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${article(typeof value)} ${show(value)}`;
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'a boolean',
  };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

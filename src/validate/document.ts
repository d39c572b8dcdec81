/** One document on its own: a mapping with a known kind that its kind's schema accepts. */

import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
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
  if (!(Kinds as readonly unknown[]).includes(kind)) {
    const shown = JSON.stringify(kind);
    const mean = typeof kind === 'string' ? didYouMean(kind, Kinds) : '';
    return [
      diag(doc, ['kind'], 'unknown-kind', `unknown kind ${shown}${mean}`, { hint: `known kinds: ${Kinds.join(', ')}` }),
    ];
  }
  const validator = schemaValidator(kind as Kind);
  return validator(value) ? [] : schemaDiagnostics(doc, validator.errors ?? []);
}

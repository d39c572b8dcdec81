/**
 * The key of the document cache (src/load/cache.ts). A cached entry says "this blob parses to these documents,
 * each valid against its schema", so the key changes with everything that could change that answer: Roster's
 * version, the schemas, the yaml and ajv versions, and the code that parses, locates and checks a document (so
 * a development build never reads entries written by different code under the same version number).
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { schemaHash } from './schemas.js';

/** Modules whose code shapes a cache entry or decides that a document is valid on its own. */
export const FINGERPRINTED = [
  '../load/parse.js',
  '../load/locate.js',
  '../load/cache.js',
  './document.js',
  './validate.js',
  '../model/types.js',
];

export interface CacheKeyInputs {
  roster: string;
  schemas: string;
  /** Versions of the libraries that parse and check, e.g. `{ yaml: '2.9.1', ajv: '8.20.0' }`. */
  libraries: Record<string, string>;
  /** The code of the FINGERPRINTED modules. */
  code: readonly string[];
}

/** The key for this installation: its version, schemas, libraries and code. */
export function documentCacheKey(): string {
  const require = createRequire(import.meta.url);
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  return cacheKeyOf({
    // dist/src/validate → the package root.
    roster: version('../../..'),
    schemas: schemaHash(),
    libraries: { yaml: version('yaml'), ajv: version('ajv') },
    code: FINGERPRINTED.map((file) => readFileSync(new URL(file, import.meta.url), 'utf8')),
  });
}

export function cacheKeyOf(inputs: CacheKeyInputs): string {
  const hash = createHash('sha256');
  hash.update(`roster ${inputs.roster}\0schemas ${inputs.schemas}\0`);
  for (const [name, v] of Object.entries(inputs.libraries).sort()) hash.update(`${name} ${v}\0`);
  for (const code of inputs.code) hash.update(`${code}\0`);
  return hash.digest('hex').slice(0, 20);
}

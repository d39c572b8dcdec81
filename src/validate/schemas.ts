/**
 * The JSON schemas in `schemas/`, as ajv (draft 2020-12) validators. The same files serve editors
 * (yaml-language-server modelines) and validation, so what an editor flags is what `roster validate` flags.
 *
 * Compiling the schemas costs more than validating a thousand documents, so `npm run build` generates ajv's
 * standalone code for them (`validators.generated.cjs`, next to this file in dist/, see standalone.ts) and a run
 * loads that instead. The generated file records the hash of the schemas it was made from; when the schemas differ
 * (edited after the build) or the file is missing, the schemas are compiled here, as before: slower, never wrong.
 */

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type { Kind } from '../model/types.js';
import { compileSchemas, GENERATED_FILE, SCHEMA_FILES, SHARED_FILES, type GeneratedValidators } from './standalone.js';
import { InternalError } from '../errors.js';

export { SCHEMA_FILES, SHARED_FILES } from './standalone.js';

interface Validators {
  kinds: Record<Kind, ValidateFunction>;
  any: ValidateFunction;
}

let validators: Validators | undefined;
let schemaText: { hash: string; files: Map<string, string> } | undefined;

export function schemaValidator(kind: Kind): ValidateFunction {
  validators ??= loadGenerated() ?? compileSchemas(schemaSources());
  return validators.kinds[kind];
}

/** `roster.json`: any document, dispatched on kind (what editors use for multi-kind files). */
export function anyDocumentValidator(): ValidateFunction {
  validators ??= loadGenerated() ?? compileSchemas(schemaSources());
  return validators.any;
}

/** Which validators this process uses: generated at build time, or compiled at run time (schemas changed since). */
export function validatorOrigin(): 'generated' | 'compiled' {
  return loadGenerated() ? 'generated' : 'compiled';
}

/** SHA-256 of every schema file (name and content): generated validators and cached documents are keyed by it. */
export function schemaHash(): string {
  return readSchemas().hash;
}

/** The schema files by name, as text. */
export function schemaSources(): Map<string, string> {
  return readSchemas().files;
}

/** The directory holding the schema files: `schemas/` at the package root (from src/ or dist/src/). */
export function schemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schemas', 'roster.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new InternalError('kube-roster: cannot find the schemas/ directory of the package');
    dir = parent;
  }
  return join(dir, 'schemas');
}

function readSchemas(): NonNullable<typeof schemaText> {
  if (schemaText) return schemaText;
  const dir = schemasDir();
  const hash = createHash('sha256');
  const files = new Map<string, string>();
  for (const file of [...SHARED_FILES, ...Object.values(SCHEMA_FILES)]) {
    const text = readFileSync(join(dir, file), 'utf8');
    files.set(file, text);
    hash.update(`${file}\0${text}\0`);
  }
  schemaText = { hash: hash.digest('hex'), files };
  return schemaText;
}

let generated: Validators | null | undefined;

function loadGenerated(): Validators | undefined {
  if (generated === undefined) {
    generated = null;
    try {
      const mod = createRequire(import.meta.url)(`./${GENERATED_FILE}`) as GeneratedValidators;
      if (mod.schemaHash === schemaHash()) {
        const kinds = Object.fromEntries(Object.keys(SCHEMA_FILES).map((k) => [k, mod[k as Kind]]));
        generated = { kinds: kinds as Record<Kind, ValidateFunction>, any: mod.any };
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  return generated ?? undefined;
}

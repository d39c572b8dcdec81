// Part of `npm run build`: writes ajv's standalone validators for schemas/ next to the compiled schemas.js, so a
// run loads them instead of compiling the schemas (see src/validate/schemas.ts).
import { join } from 'node:path';
import { schemaHash, schemaSources } from '../dist/src/validate/schemas.js';
import { GENERATED_FILE, writeGeneratedValidators } from '../dist/src/validate/standalone.js';

const file = join(import.meta.dirname, '..', 'dist', 'src', 'validate', GENERATED_FILE);
writeGeneratedValidators(file, schemaSources(), schemaHash());

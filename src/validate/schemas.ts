/**
 * The JSON schemas in `schemas/`, compiled once per process with ajv (draft 2020-12). The same files serve
 * editors (yaml-language-server modelines) and validation, so what an editor flags is what `roster validate` flags.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { Kind } from '../model/types.js';

/** Schema file per kind; `common.json` holds shared $defs, `roster.json` dispatches on kind for editors. */
export const SCHEMA_FILES: Record<Kind, string> = {
  Settings: 'settings.json',
  Cluster: 'cluster.json',
  Role: 'role.json',
  Team: 'team.json',
  AccessToken: 'accesstoken.json',
  Suspension: 'suspension.json',
};
const SHARED_FILES = ['common.json', 'roster.json'];

/** Keywords editors understand (VS Code / yaml-language-server) or Roster reads; ajv treats them as annotations. */
const ANNOTATIONS = ['patternErrorMessage', 'x-diagnostic'];

let compiled: { kinds: Record<Kind, ValidateFunction>; any: ValidateFunction } | undefined;

export function schemaValidator(kind: Kind): ValidateFunction {
  compiled ??= compileAll();
  return compiled.kinds[kind];
}

/** `roster.json`: any document, dispatched on kind (what editors use for multi-kind files). */
export function anyDocumentValidator(): ValidateFunction {
  compiled ??= compileAll();
  return compiled.any;
}

/** The directory holding the schema files: `schemas/` at the package root (from src/ or dist/src/). */
export function schemasDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'schemas', 'roster.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('kube-roster: cannot find the schemas/ directory of the package');
    dir = parent;
  }
  return join(dir, 'schemas');
}

function compileAll(): NonNullable<typeof compiled> {
  const dir = schemasDir();
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  // ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
  const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
    addFormatsModule) as FormatsPlugin;
  addFormats(ajv);
  ajv.addVocabulary(ANNOTATIONS);
  const read = (file: string): object => JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
  for (const file of [...SHARED_FILES, ...Object.values(SCHEMA_FILES)]) ajv.addSchema(read(file), file);
  const entries = Object.entries(SCHEMA_FILES).map(([kind, file]) => [kind, ajv.getSchema(file)]);
  for (const [kind, fn] of entries) if (!fn) throw new Error(`kube-roster: schema for ${String(kind)} did not compile`);
  // roster.json is compiled too, so a broken dispatcher fails here rather than only in editors.
  const any = ajv.getSchema('roster.json');
  if (!any) throw new Error('kube-roster: schemas/roster.json did not compile');
  return { kinds: Object.fromEntries(entries) as Record<Kind, ValidateFunction>, any };
}

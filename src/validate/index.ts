/** The validate stage's public surface, plus `validateRepo`: load and validate in one call. */

import { sortDiagnostics } from '../diagnostics.js';
import { loadFiles } from '../load/parse.js';
import type { RepoFile } from '../load/types.js';
import { validate, type ValidateResult } from './validate.js';

export { validate, type ValidateOptions, type ValidateResult } from './validate.js';
export { RULE_GUARDRAILS, PRIVILEGED_BUILTINS, GROUP_CLUSTER_OWNER, type Guardrail } from './guardrails.js';
export { parseDuration, formatDuration } from '../time.js';

export interface ValidateRepoOptions {
  /** Default: the current time. */
  now?: Date;
}

/** Parses every file and validates the documents; YAML errors and validation problems come back together. */
export function validateRepo(files: readonly RepoFile[], opts: ValidateRepoOptions = {}): ValidateResult {
  const loaded = loadFiles(files);
  const result = validate(loaded.documents, { now: opts.now ?? new Date() });
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]);
  // A file with a syntax error may hide documents: no model then, even if the rest validated.
  const model = diagnostics.some((d) => d.severity === 'error') ? undefined : result.model;
  return model ? { model, diagnostics } : { diagnostics };
}

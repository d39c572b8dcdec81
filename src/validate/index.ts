/** The validate stage's public surface, plus `validateRepo`: load and validate in one call. */

import { sortDiagnostics } from '../diagnostics.js';
import type { DocumentCache } from '../load/cache.js';
import { loadFiles, loadFilesCached, type ParsedFile } from '../load/parse.js';
import type { RepoFile, SourceFile } from '../load/types.js';
import { describeLinks } from './links.js';
import { documentProblems, validate, type ValidateResult } from './validate.js';

export { validate, type ValidateOptions, type ValidateResult } from './validate.js';
export { RULE_GUARDRAILS, PRIVILEGED_BUILTINS, GROUP_CLUSTER_OWNER, type Guardrail } from './guardrails.js';
export { parseDuration, formatDuration } from '../time.js';
export { documentCacheKey, cacheKeyOf, type CacheKeyInputs } from './cache-key.js';

export interface ValidateRepoOptions {
  /** Default: the current time. */
  now?: Date;
  /** Files whose blob is cached are neither parsed nor schema-checked; the others go in when they pass. */
  cache?: DocumentCache;
}

/** Parses every file and validates the documents; YAML errors and validation problems come back together. */
export function validateRepo(files: readonly RepoFile[], opts?: ValidateRepoOptions): ValidateResult;
export function validateRepo(
  files: readonly SourceFile[],
  opts: ValidateRepoOptions & { cache: DocumentCache },
): ValidateResult;
export function validateRepo(files: readonly SourceFile[], opts: ValidateRepoOptions = {}): ValidateResult {
  const loaded = opts.cache
    ? loadFilesCached(files, opts.cache)
    : { ...loadFiles(files as readonly RepoFile[]), parsed: [] };
  const result = validate(loaded.documents, { now: opts.now ?? new Date() });
  if (opts.cache) remember(opts.cache, loaded.parsed);
  const diagnostics = sortDiagnostics([
    ...describeLinks(loaded.diagnostics, loaded.documents, files),
    ...result.diagnostics,
  ]);
  // A file with a syntax error may hide documents: no model then, even if the rest validated.
  const model = diagnostics.some((d) => d.severity === 'error') ? undefined : result.model;
  return model ? { model, diagnostics } : { diagnostics };
}

/**
 * Files that parsed cleanly and whose every document passed its own schema check (cross-file checks vary); then
 * the run's documents go to disk at once (one file, see src/load/cache.ts).
 */
function remember(cache: DocumentCache, parsed: readonly ParsedFile[]): void {
  for (const file of parsed) {
    if (!file.cacheable || file.documents.some((d) => documentProblems(d).length > 0)) continue;
    cache.put(
      file.blob,
      file.documents.map(({ doc, value, positions }) => ({ doc, value, positions })),
    );
  }
  cache.flush();
}

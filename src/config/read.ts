/**
 * The config stage every entry point shares (the CLI commands and `roster serve`): source → load → validate, giving
 * the typed model, the snapshot it came from and every diagnostic. It prints nothing; callers decide how to show
 * problems (stderr lines, JSON, structured logs).
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { UsageError } from '../errors.js';
import { defaultDocumentCacheDir, documentCache } from '../load/cache.js';
import type { SourceFile } from '../load/types.js';
import type { Model } from '../model/types.js';
import { readSource, type SourceOptions, type SourceSnapshot } from '../source/index.js';
import { documentCacheKey, validateRepo } from '../validate/index.js';

/** Where the config comes from: the `--repo`, `--ref`, `--worktree` and signature flags. */
export interface RepoFlags {
  repo: string;
  ref?: string;
  worktree?: boolean;
  verifySignatures?: boolean;
  allowedSigners?: string;
}

/** A valid config, ready to compile or reconcile. */
export interface LoadedConfig {
  model: Model;
  snapshot: SourceSnapshot<SourceFile>;
  warnings: Diagnostic[];
}

export interface LoadOutcome {
  /** Absent when the config has errors that stop the model being built. */
  model?: Model;
  snapshot: SourceSnapshot<SourceFile>;
  diagnostics: Diagnostic[];
}

/** source → load → validate at `at` (expiry checks depend on it), without printing. */
export async function readConfig(flags: RepoFlags, at: Date): Promise<LoadOutcome> {
  const source: SourceOptions = { repo: flags.repo };
  if (flags.ref !== undefined) source.ref = flags.ref;
  if (flags.worktree) source.worktree = true;
  if (flags.verifySignatures && !flags.allowedSigners)
    throw new UsageError('--verify-signatures needs --allowed-signers FILE (see docs/git.md)');
  if (flags.allowedSigners) source.verify = { allowedSigners: flags.allowedSigners };
  // Files whose blob was parsed and validated before (this process or an earlier one) are not read again.
  const cache = documentCache({ key: documentCacheKey(), dir: defaultDocumentCacheDir() });
  const snapshot = await readSource(source, cache);
  const { model, diagnostics } = validateRepo(snapshot.files, { now: at, cache });
  const outcome: LoadOutcome = { snapshot, diagnostics: sortDiagnostics(diagnostics) };
  if (model) outcome.model = snapshot.commit ? { ...model, commit: snapshot.commit } : model;
  return outcome;
}

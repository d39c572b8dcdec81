/** What every command shares: the source options, the output option, and the source → load → validate stages. */
import { Option, type Command } from 'commander';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import { InvalidConfigError, UsageError } from '../errors.js';
import type { SourceFile } from '../load/types.js';
import type { Model } from '../model/types.js';
import { readSource, type SourceOptions, type SourceSnapshot } from '../source/index.js';
import { defaultDocumentCacheDir, documentCache } from '../load/cache.js';
import { documentCacheKey, validateRepo } from '../validate/index.js';
import type { Io } from './main.js';

export interface RepoFlags {
  repo: string;
  ref?: string;
  worktree?: boolean;
  verifySignatures?: boolean;
  allowedSigners?: string;
}

export function withRepoOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir|url>', 'config repository: a folder (inside a Git repository or not) or a Git URL', '.')
    .option('--ref <ref>', 'branch, tag or commit to read (default: HEAD of the repository)')
    .option('--worktree', 'read uncommitted files from the working tree instead of the commit (local editing)')
    .option(
      '--verify-signatures',
      'refuse the commit unless it (or the tag --ref names) is signed by an allowed signer',
    )
    .option(
      '--allowed-signers <file>',
      'allowed signers (ssh-keygen format and/or OpenPGP public keys); implies --verify-signatures',
    );
}

export function withOutputOption(cmd: Command, formats: readonly string[], fallback = 'text'): Command {
  return cmd.addOption(new Option('-o, --output <format>', 'output format').choices([...formats]).default(fallback));
}

/** The clock commands use. ROSTER_NOW (an RFC 3339 time) pins it, for reproducible examples and tests. */
export function now(): Date {
  const pinned = process.env.ROSTER_NOW;
  if (!pinned) return new Date();
  const date = new Date(pinned);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`ROSTER_NOW=${pinned} is not a date-time like 2026-06-01T00:00:00Z`);
  return date;
}

export interface LoadedConfig {
  model: Model;
  snapshot: SourceSnapshot<SourceFile>;
  warnings: Diagnostic[];
}

export interface LoadOutcome {
  model?: Model;
  snapshot: SourceSnapshot<SourceFile>;
  diagnostics: Diagnostic[];
}

/** source → load → validate, without printing: for commands (validate -o json, diff) that render problems themselves. */
export async function readConfig(flags: RepoFlags, at: Date = now()): Promise<LoadOutcome> {
  const source: SourceOptions = { repo: flags.repo };
  if (flags.ref !== undefined) source.ref = flags.ref;
  if (flags.worktree) source.worktree = true;
  if (flags.verifySignatures && !flags.allowedSigners)
    throw new UsageError('--verify-signatures needs --allowed-signers FILE (see docs/git.md)');
  if (flags.allowedSigners) source.verify = { allowedSigners: flags.allowedSigners };
  const cache = documentCache({ key: documentCacheKey(), dir: defaultDocumentCacheDir() });
  const snapshot = await readSource(source, cache);
  const { model, diagnostics } = validateRepo(snapshot.files, { now: at, cache });
  if (model && snapshot.commit) model.commit = snapshot.commit;
  const outcome: LoadOutcome = { snapshot, diagnostics: sortDiagnostics(diagnostics) };
  if (model) outcome.model = model;
  return outcome;
}

/**
 * source → load → validate for commands that go on to compile or reconcile: warnings and errors go to stderr,
 * and an invalid config stops the command with exit 2 before any cluster is contacted.
 */
export async function loadConfig(flags: RepoFlags, io: Io, at: Date = now()): Promise<LoadedConfig> {
  const outcome = await readConfig(flags, at);
  for (const warning of outcome.snapshot.warnings) io.err(`warning: ${warning}\n`);
  for (const d of outcome.diagnostics) io.err(`${formatDiagnostic(d)}\n`);
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  if (!outcome.model || errors.length > 0) {
    throw new InvalidConfigError(`${errors.length} error(s) in ${outcome.snapshot.label}; nothing was changed`, {
      errors: errors.length,
    });
  }
  const warnings = outcome.diagnostics.filter((d) => d.severity === 'warning');
  return { model: outcome.model, snapshot: outcome.snapshot, warnings };
}

/** Commander argument parser for a flag that may be given several times (`--group a --group b`). */
export const repeatable = (value: string, previous: string[]): string[] => [...previous, value];

/** What every command shares: the source options, the output option, and loading the config with its problems
 * printed. */
import { Option, type Command } from 'commander';
import { readConfig, type LoadedConfig, type RepoFlags } from '../config/read.js';
import { formatDiagnostic } from '../diagnostics.js';
import { InvalidConfigError, UsageError } from '../errors.js';
import type { Io } from './io.js';

export type { RepoFlags } from '../config/read.js';

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

/**
 * source → load → validate for commands that go on to compile or reconcile: warnings and errors go to stderr,
 * and an invalid config stops the command with exit 2 before any cluster is contacted.
 */
export async function loadConfig(flags: RepoFlags, io: Io, at: Date): Promise<LoadedConfig> {
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

/**
 * A date flag: `2026-01-01` (midnight UTC) or an RFC 3339 time with its zone. Stricter than `new Date`, which
 * takes `12` for December 2001, `2026-02-30` for March 2nd, and a time without a zone as the machine's local time.
 */
export function dateFlag(flag: string, text: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i.exec(text.trim());
  const date = match ? new Date(match[2] ? text.trim() : `${match[1]}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || (!match![2] && date.toISOString().slice(0, 10) !== match![1]))
    throw new UsageError(`${flag} ${text}: not a date like 2026-01-01 or 2026-01-01T12:00:00Z`);
  return date;
}

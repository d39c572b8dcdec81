/** What every command shares: the source options, the output option, and loading the config with its problems
 * printed. */
import { Option, type Command } from 'commander';
import { readConfig, type LoadedConfig, type RepoFlags } from '../config/read.js';
import { formatDiagnostic } from '../diagnostics.js';
import { InvalidConfigError } from '../errors.js';
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

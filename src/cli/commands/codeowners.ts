import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { ExitCode, UsageError } from '../../errors.js';
import { renderCodeowners } from '../../report/codeowners.js';
import { loadConfig, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';

interface CodeownersFlags extends RepoFlags {
  check?: string;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('codeowners')
    .description('print a CODEOWNERS file from the Delegations, or check one (exit 1 when it differs)')
    .option('--check <file>', 'compare with this file instead of printing: exit 0 when equal, 1 with a diff when not')
    .addHelpText(
      'after',
      '\nWrite it once with `roster codeowners > .github/CODEOWNERS`; in CI, `roster codeowners --check\n' +
        '.github/CODEOWNERS` fails when a Delegation changed and the file was not regenerated.',
    );
  withRepoOptions(cmd).action(async (flags: CodeownersFlags) => {
    const { model } = await loadConfig(flags, state.io, state.clock());
    const wanted = renderCodeowners(model);
    if (flags.check === undefined) {
      state.io.out(wanted);
      return;
    }
    const current = readCheckFile(flags.check);
    if (current === wanted) {
      state.io.out(`${flags.check}: up to date\n`);
      return;
    }
    state.io.out(createTwoFilesPatch(flags.check, 'roster codeowners', current, wanted, '', '', { context: 2 }));
    state.io.err(
      `${flags.check}: differs from the Delegations; regenerate it with \`roster codeowners > ${flags.check}\`\n`,
    );
    state.exitCode = ExitCode.changes;
  });
}

function readCheckFile(file: string): string {
  if (!existsSync(file))
    throw new UsageError(`--check ${file}: no such file; create it with \`roster codeowners > ${file}\``);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--check ${file}: cannot read it (${(err as { code?: string }).code ?? 'error'})`);
  }
}

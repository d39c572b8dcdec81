import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { ExitCode, RosterError } from '../../errors.js';
import { CODEOWNERS_LOCATIONS } from '../../model/delegations.js';
import { GENERATED_MARK, renderCodeowners, splitCodeowners } from '../../report/codeowners.js';
import { loadConfig, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';

interface CodeownersFlags extends RepoFlags {
  /** `true` for a bare `--check`: the CODEOWNERS file the forge would read. */
  check?: string | true;
}

/** The CODEOWNERS file to check is missing or unreadable. Exit 2: bad input, nothing compared. */
export class CodeownersFileError extends RosterError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('CodeownersFileError', message, { data, exitCode: ExitCode.invalidConfig });
  }
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('codeowners')
    .description('print a CODEOWNERS file from the Delegations, or check one (exit 1 when it differs)')
    .option(
      '--check [file]',
      'compare with this file instead of printing: exit 0 when equal, 1 with a diff when not (default: the ' +
        'first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS, .gitlab/CODEOWNERS in the --repo folder)',
    )
    .addHelpText(
      'after',
      '\nWrite it once with `roster codeowners > .github/CODEOWNERS`; in CI, `roster codeowners --check`\n' +
        'fails when a Delegation changed and the file was not regenerated. Exit codes: 0 up to date, 1 differs,\n' +
        '2 invalid config or no CODEOWNERS file to check.',
    );
  withRepoOptions(cmd).action(async (flags: CodeownersFlags) => {
    // The file first: a CI job missing its CODEOWNERS learns that before any config is read.
    const file = flags.check === undefined ? undefined : checkedFile(flags.check, flags.repo);
    const current = file === undefined ? '' : readCheckFile(file);
    const { model } = await loadConfig(flags, state.io, state.clock());
    const wanted = renderCodeowners(model);
    if (file === undefined) {
      state.io.out(wanted);
      return;
    }
    const { above, generated } = splitCodeowners(current);
    if (generated === wanted) {
      state.io.out(`${file}: up to date\n`);
      return;
    }
    state.io.out(createTwoFilesPatch(file, 'roster codeowners', generated, wanted, '', '', { context: 2 }));
    const how =
      above === ''
        ? `\`roster codeowners > ${file}\``
        : `\`roster codeowners\`, keeping the lines above "${GENERATED_MARK}"`;
    state.io.err(`${file}: differs from the Delegations; regenerate it with ${how}\n`);
    state.exitCode = ExitCode.changes;
  });
}

/** The file `--check` names, or for a bare `--check` the one the forge reads in the repository folder. */
function checkedFile(check: string | true, repo: string): string {
  if (check !== true) return check;
  const base = isFolder(repo) ? repo : '.';
  const found = CODEOWNERS_LOCATIONS.map((p) => (base === '.' ? p : join(base, p))).find((p) => existsSync(p));
  if (found) return found;
  const first = base === '.' ? CODEOWNERS_LOCATIONS[0] : join(base, CODEOWNERS_LOCATIONS[0]!);
  throw new CodeownersFileError(
    `--check: no CODEOWNERS file in ${base === '.' ? 'this folder' : base} ` +
      `(looked for ${CODEOWNERS_LOCATIONS.join(', ')}); create it with \`roster codeowners > ${first}\``,
    { looked: CODEOWNERS_LOCATIONS },
  );
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readCheckFile(file: string): string {
  if (!existsSync(file))
    throw new CodeownersFileError(`--check ${file}: no such file; create it with \`roster codeowners > ${file}\``, {
      file,
    });
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'error';
    throw new CodeownersFileError(`--check ${file}: cannot read it (${code})`, { file });
  }
}

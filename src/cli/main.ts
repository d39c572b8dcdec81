/** The `roster` command line. Each command lives in commands/<name>.ts and registers itself in commands/index.ts. */
import { Command, CommanderError } from 'commander';
import { RosterError, ExitCode } from '../errors.js';
import { registerCommands } from './commands/index.js';

/** Commands report their exit code here instead of calling process.exit, so the CLI runs in-process in tests. */
export interface RunState {
  exitCode: number;
}

export function buildProgram(state: RunState): Command {
  const program = new Command('roster')
    .description('GitOps for Kubernetes access: teams, roles and tokens in Git, reconciled as RBAC on every cluster.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program, state);
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it in-process). */
export async function run(argv: string[]): Promise<number> {
  const state: RunState = { exitCode: ExitCode.ok };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    return exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return ExitCode.ok;
    return ExitCode.usage;
  }
  if (err instanceof RosterError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return ExitCode.clusterFailed;
}

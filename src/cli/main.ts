/** The `roster` command line. Each command lives in commands/<name>.ts and registers itself in commands/index.ts. */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { clockFromEnv } from '../config/clock.js';
import { RosterError, ExitCode } from '../errors.js';
import { registerCommands } from './commands/index.js';
import { processIo, type Io, type RunState } from './io.js';

/** The program with the commands `argv` needs (all of them when no argv is given). */
export async function buildProgram(state: RunState, argv: readonly string[] = []): Promise<Command> {
  const program = new Command('roster')
    .description('GitOps for Kubernetes access: teams, roles and tokens in Git, reconciled as RBAC on every cluster.')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride()
    // Before the commands are registered, so each inherits it (commander copies settings to a new subcommand).
    .configureOutput({ writeOut: (t) => state.io.out(t), writeErr: (t) => state.io.err(t) });
  await registerCommands(program, state, argv);
  return program;
}

function packageVersion(): string {
  // dist/src/cli/main.js → package.json at the repository root.
  const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
  return pkg.version;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it in-process). */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  try {
    // The clock is read here, once: ROSTER_NOW pins it for reproducible examples and tests.
    const state: RunState = { exitCode: ExitCode.ok, io, clock: clockFromEnv(process.env) };
    const program = await buildProgram(state, argv);
    await program.parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

function exitCodeFor(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
      return ExitCode.ok;
    return ExitCode.usage;
  }
  if (err instanceof RosterError) {
    io.err(`error: ${err.message}\n`);
    return err.exitCode;
  }
  // Not a RosterError: a bug, not the user's input. Say so in one line; the stack only on request.
  const message = err instanceof Error ? err.message : String(err);
  const stack = process.env['ROSTER_DEBUG'] && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  io.err(`error: internal error: ${message} (a bug in Roster; ROSTER_DEBUG=1 prints the stack)${stack}\n`);
  return ExitCode.clusterFailed;
}

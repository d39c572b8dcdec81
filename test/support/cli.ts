/** Runs the CLI in-process, as a user would from a shell, and captures what it printed. */

import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

export interface RosterRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `roster <args>`: the exit code and everything written to stdout and stderr (no colour). */
export async function roster(args: readonly string[]): Promise<RosterRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), color: false };
  const code = await run([...args], io);
  return { code, stdout, stderr };
}

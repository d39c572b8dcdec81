/** What every command receives: where it writes, the clock, and where it leaves its exit code. */
import { systemClock, type Clock } from '../config/clock.js';

/** Where a command writes. Tests pass their own to capture output; the binary uses the process streams. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour and progress lines only on a terminal, never when NO_COLOR is set. */
  color: boolean;
}

export const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  color: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
};

/** Commands report their exit code and write through `io` instead of touching process globals. */
export interface RunState {
  exitCode: number;
  io: Io;
  /** "Now" for this run: read once from ROSTER_NOW or the system clock when the CLI starts. */
  clock: Clock;
}

/** A fresh state for running one command in-process (watch's re-plans, tests). */
export function runState(io: Io, clock: Clock = systemClock): RunState {
  return { exitCode: 0, io, clock };
}

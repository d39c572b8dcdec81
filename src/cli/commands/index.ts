import type { Command } from 'commander';
import type { RunState } from '../main.js';
import * as build from './build.js';
import * as validate from './validate.js';

/** Every command module exports `register(program, state)`. Add new commands to this list. */
type Register = (program: Command, state: RunState) => void;

const commands: Register[] = [validate.register, build.register];

export function registerCommands(program: Command, state: RunState): void {
  for (const register of commands) register(program, state);
}

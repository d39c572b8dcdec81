import type { Command } from 'commander';
import type { RunState } from '../io.js';
import * as access from './access.js';
import * as apply from './apply.js';
import * as audit from './audit.js';
import * as build from './build.js';
import * as canI from './can-i.js';
import * as codeowners from './codeowners.js';
import * as diff from './diff.js';
import * as drift from './drift.js';
import * as grant from './grant.js';
import * as plan from './plan.js';
import * as report from './report.js';
import * as request from './request.js';
import * as revoke from './revoke.js';
import * as serve from './serve.js';
import * as kubeconfig from './kubeconfig.js';
import * as tidy from './tidy.js';
import * as token from './token.js';
import * as review from './review.js';
import * as usage from './usage.js';
import * as validate from './validate.js';
import * as watch from './watch.js';
import * as whoami from './whoami.js';

/** Every command module exports `register(program, state)`. Add new commands to this list. */
type Register = (program: Command, state: RunState) => void;

const commands: Register[] = [
  validate.register,
  build.register,
  plan.register,
  apply.register,
  drift.register,
  access.register,
  canI.register,
  diff.register,
  audit.register,
  token.register,
  kubeconfig.register,
  whoami.register,
  report.register,
  codeowners.register,
  serve.register,
  watch.register,
  grant.register,
  revoke.register,
  request.register,
  tidy.register,
  usage.register,
  review.register,
];

export function registerCommands(program: Command, state: RunState): void {
  for (const register of commands) register(program, state);
}

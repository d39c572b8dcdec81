import type { Command } from 'commander';
import type { RunState } from '../io.js';

/** Every command module exports `register(program, state)`. */
type Register = (program: Command, state: RunState) => void;

/**
 * Every command by name, loaded only when needed: a run of one command imports that command's module alone
 * (and, through it, only the stages it uses), so `roster validate` never loads the cluster client or the
 * server. Add new commands here, under the name they register; the order is the order of `roster --help`.
 */
const COMMANDS: Record<string, () => Promise<{ register: Register }>> = {
  validate: () => import('./validate.js'),
  build: () => import('./build.js'),
  plan: () => import('./plan.js'),
  apply: () => import('./apply.js'),
  drift: () => import('./drift.js'),
  access: () => import('./access.js'),
  'can-i': () => import('./can-i.js'),
  diff: () => import('./diff.js'),
  audit: () => import('./audit.js'),
  token: () => import('./token.js'),
  kubeconfig: () => import('./kubeconfig.js'),
  whoami: () => import('./whoami.js'),
  report: () => import('./report.js'),
  codeowners: () => import('./codeowners.js'),
  serve: () => import('./serve.js'),
  watch: () => import('./watch.js'),
  grant: () => import('./grant.js'),
  revoke: () => import('./revoke.js'),
  request: () => import('./request.js'),
  tidy: () => import('./tidy.js'),
  usage: () => import('./usage.js'),
  review: () => import('./review.js'),
};

/** Registers the commands `argv` needs: the one it names, none for `--version`, all for help and mistakes. */
export async function registerCommands(program: Command, state: RunState, argv: readonly string[]): Promise<void> {
  for (const name of commandsFor(argv)) (await COMMANDS[name]!()).register(program, state);
}

export function commandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (argv.length === 1 && (first === '--version' || first === '-V')) return [];
  // Help lists every command, and a mistyped one gets a suggestion from every name.
  return Object.keys(COMMANDS);
}

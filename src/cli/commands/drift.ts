import type { Command } from 'commander';
import type { RunState } from '../io.js';
import { runReconcile, withReconcileOptions, type ReconcileFlags } from '../reconcile-command.js';

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('drift')
    .description(
      'detect-only: what differs between the clusters and Git, hand edits included, with diffs; never writes; ' +
        'exit 0 none, 1 drift, 3 a cluster failed',
    );
  withReconcileOptions(cmd).action(async (flags: ReconcileFlags) => {
    await runReconcile('drift', flags, state);
  });
}

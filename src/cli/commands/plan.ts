import type { Command } from 'commander';
import type { RunState } from '../io.js';
import { planOffline } from '../plan-offline.js';
import { runReconcile, withReconcileOptions, type ReconcileFlags } from '../reconcile-command.js';

interface PlanFlags extends ReconcileFlags {
  offline?: boolean;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('plan')
    .description(
      'per cluster, what apply would do, with diffs; exit 0 nothing to do, 1 changes, 2 invalid config, ' +
        '3 a cluster failed',
    )
    .option('--offline', 'touch no cluster: the objects that should exist and the access tree, from Git alone')
    .addHelpText(
      'after',
      '\nReads each cluster (one LIST per kind) and never writes. Objects of the same name that Roster does not\n' +
        'own are found at apply time; `roster apply --dry-run=server` is the full preflight.',
    );
  withReconcileOptions(cmd).action(async (flags: PlanFlags) => {
    if (flags.offline) {
      await planOffline(flags, state.io, state.clock());
      return;
    }
    await runReconcile('plan', flags, state);
  });
}

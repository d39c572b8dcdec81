import { Option, type Command } from 'commander';
import type { RunState } from '../io.js';
import { runReconcile, withReconcileOptions, type ReconcileFlags } from '../reconcile-command.js';

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('apply')
    .description(
      'make every selected cluster match Git, and prune what Roster owns but Git no longer declares; exit 0 ok, ' +
        '2 invalid config, 3 a cluster failed',
    )
    .addOption(
      new Option(
        '--dry-run <mode>',
        'send every write through the API server dry run (a preflight for RBAC escalation errors and conflicts)',
      ).choices(['server']),
    )
    .option(
      '--force',
      'prune even when more than Settings prune.maxPercent of the managed objects would go, ' +
        'or the desired state is empty',
    )
    .option(
      '--adopt',
      'take over existing objects of the same name that lack Roster labels, instead of reporting a conflict',
    )
    .addHelpText(
      'after',
      '\nSafety: only objects labelled app.kubernetes.io/managed-by=roster and this instance are pruned, ' +
        'each re-read just\nbefore its delete; nothing is pruned in a cluster where a write failed; ' +
        'the annotation roster.dev/prune: disabled\nkeeps an object forever. See docs/reconcile.md.',
    );
  withReconcileOptions(cmd).action(async (flags: ReconcileFlags) => {
    await runReconcile('apply', flags, state);
  });
}

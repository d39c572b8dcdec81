import type { Command } from 'commander';
import { checkKubeconfig } from '../../cluster/index.js';
import { RosterError } from '../../errors.js';
import { DEFAULT_DEBOUNCE_MS, startWatch } from '../../serve/watch.js';
import type { RepoFlags } from '../common.js';
import { runState, type RunState } from '../io.js';
import { planOffline } from '../plan-offline.js';
import { runReconcile, type ReconcileFlags } from '../reconcile-command.js';
import type { ClusterFlags } from '../../config/select.js';
import { withClusterOptions } from '../select.js';
import { untilStopSignal } from '../stop-signal.js';
import { formatTime } from '../../time.js';

interface WatchFlags extends ClusterFlags {
  repo: string;
  online?: boolean;
  kubeconfig?: string;
  debounce: number;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('watch')
    .description(
      'for local editing: re-validate and print the plan every time a file under --repo changes ' +
        '(uncommitted files included)',
    )
    .option('--repo <dir>', 'the config folder being edited', '.')
    .option('--online', 'plan against the clusters (reads them, never writes) instead of the offline plan')
    .option('--kubeconfig <file>', 'with --online: kubeconfig holding the contexts the clusters name')
    .option(
      '--debounce <ms>',
      'quiet time after the last change before planning',
      (v) => Number(v),
      DEFAULT_DEBOUNCE_MS,
    );
  withClusterOptions(cmd).action(async (flags: WatchFlags) => {
    // Bad input up front (exit 2), as plan itself does: a watch that retried it on every edit would never work.
    if (flags.online) checkKubeconfig(flags.kubeconfig);
    const watcher = await startWatch({
      dir: flags.repo,
      debounceMs: flags.debounce,
      run: (reasons) => planOnce(flags, state, reasons),
      onError: (err) => state.io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`),
    });
    state.io.err(`watching ${flags.repo} (Ctrl-C to stop)\n`);
    await untilStopSignal();
    await watcher.close();
    state.exitCode = 0;
  });
}

/** One plan; an invalid config or unreachable cluster is printed and the watch goes on. */
async function planOnce(flags: WatchFlags, state: RunState, reasons: string[]): Promise<void> {
  const io = state.io;
  io.out(`\n=== ${formatTime(new Date())} ${describe(reasons)}\n`);
  // The files being edited, not the last commit: that is what the person wants to see.
  const repo: RepoFlags = { repo: flags.repo, worktree: true };
  const clusters: ClusterFlags = {
    ...(flags.cluster ? { cluster: flags.cluster } : {}),
    ...(flags.selector ? { selector: flags.selector } : {}),
  };
  try {
    if (!flags.online) return await planOffline({ ...repo, ...clusters }, io, state.clock());
    const online: ReconcileFlags = {
      ...repo,
      ...clusters,
      output: 'text',
      ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    };
    await runReconcile('plan', online, runState(io, state.clock));
  } catch (err) {
    if (!(err instanceof RosterError)) throw err;
    io.err(`error: ${err.message}\n`);
  }
}

function describe(reasons: string[]): string {
  if (reasons.length === 1 && reasons[0] === 'start') return 'initial plan';
  const shown = reasons.slice(0, 5).join(', ');
  return `changed: ${shown}${reasons.length > 5 ? ` and ${reasons.length - 5} more` : ''}`;
}

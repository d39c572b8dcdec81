import type { Command } from 'commander';
import { checkKubeconfig } from '../../cluster/index.js';
import { UsageError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { createService, type ServeConfig } from '../../serve/index.js';
import { parseInterval } from '../../serve/schedule.js';
import { webhookSecretFrom } from '../../serve/webhook.js';
import { withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';
import { untilStopSignal } from '../stop-signal.js';
import type { ClusterFlags } from '../../config/select.js';
import { withClusterOptions } from '../select.js';

interface ServeFlags extends RepoFlags, ClusterFlags {
  interval: string;
  kubeconfig?: string;
  detectOnly?: boolean;
  listen: string;
  leaderElect?: boolean;
  leaseNamespace: string;
  leaseName: string;
  leaseCluster?: string;
  webhookSecretEnv?: string;
}

/** The context client-node gives the ServiceAccount credentials of a pod when no kubeconfig is mounted. */
const IN_CLUSTER_CONTEXT = 'inClusterContext';

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('serve')
    .description(
      'reconcile continuously: on every new commit, every --interval and whenever a grant or token starts or ends; ' +
        'JSON logs, /metrics, /healthz, /readyz',
    )
    .option('--interval <duration>', 'fetch and reconcile this often, e.g. 30s, 1m, 1h', '1m')
    .option(
      '--kubeconfig <file>',
      'kubeconfig holding the contexts the clusters name (default: KUBECONFIG, ~/.kube/config, ' +
        "then the pod's ServiceAccount)",
    )
    .option('--detect-only', 'report drift in logs and metrics, never write')
    .option('--listen <[host]:port>', 'address of the metrics, health and webhook server', ':8080')
    .option('--leader-elect', 'take part in leader election so only one replica reconciles at a time')
    .option('--lease-namespace <namespace>', 'namespace of the leader Lease', 'roster-system')
    .option('--lease-name <name>', 'name of the leader Lease; give each shard (-l) its own', 'roster')
    .option(
      '--lease-cluster <context>',
      `kubeconfig context of the cluster holding the Lease (default in a pod: ${IN_CLUSTER_CONTEXT})`,
    )
    .option(
      '--webhook-secret-env <VAR>',
      'enable POST /webhook, checking GitHub/GitLab signatures with the secret in this environment variable',
    );
  withClusterOptions(withRepoOptions(cmd)).action(async (flags: ServeFlags) => {
    // Checked once at start (exit 2); later rounds re-read it, so a mounted file may change while serve runs.
    checkKubeconfig(flags.kubeconfig);
    const service = await createService(serveConfig(flags, state));
    await service.start();
    await untilStopSignal();
    await service.stop();
    state.exitCode = 0;
  });
}

function serveConfig(flags: ServeFlags, state: RunState): ServeConfig {
  const log = createLogger({ destination: { write: (line) => state.io.out(line) }, base: { component: 'serve' } });
  const cfg: ServeConfig = {
    // The whole flag set: readConfig takes every source flag it knows (--ref, --worktree, --verify-signatures…).
    repo: flags,
    clusters: {
      ...(flags.cluster ? { cluster: flags.cluster } : {}),
      ...(flags.selector ? { selector: flags.selector } : {}),
    },
    intervalMs: parseInterval(flags.interval),
    detectOnly: flags.detectOnly === true,
    listen: flags.listen,
    log,
    now: state.clock,
  };
  if (flags.kubeconfig) cfg.kubeconfig = flags.kubeconfig;
  if (flags.leaderElect)
    cfg.leader = { context: leaseContext(flags), namespace: flags.leaseNamespace, name: flags.leaseName };
  if (flags.webhookSecretEnv) cfg.webhookSecret = webhookSecretFrom(flags.webhookSecretEnv);
  return cfg;
}

function leaseContext(flags: ServeFlags): string {
  if (flags.leaseCluster) return flags.leaseCluster;
  if (process.env.KUBERNETES_SERVICE_HOST && !flags.kubeconfig && !process.env.KUBECONFIG) return IN_CLUSTER_CONTEXT;
  throw new UsageError(
    '--leader-elect needs --lease-cluster <context>: the kubeconfig context of the cluster that holds the Lease',
  );
}

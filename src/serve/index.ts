/**
 * Builds `roster serve` from its flags: the config loader, the engine, metrics, the optional leader election and
 * webhook. The command (src/cli/commands/serve.ts) only parses flags, starts this and waits for SIGTERM.
 */
import type { Clock } from '../config/clock.js';
import { readConfig, type LoadedConfig, type RepoFlags } from '../config/read.js';
import { selectClusters, type ClusterFlags } from '../config/select.js';
import { connectLease, type LeaseClient } from '../cluster/index.js';
import { formatDiagnostic } from '../diagnostics.js';
import { InvalidConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { engineReconciler, type EngineOptions } from './engine.js';
import { LeaderElector, defaultIdentity, type ElectionTiming } from './leader.js';
import { ServeMetrics } from './metrics.js';
import { RosterService, type ElectionEvents } from './service.js';

export { RosterService } from './service.js';

export interface ServeConfig {
  repo: RepoFlags;
  clusters: ClusterFlags;
  intervalMs: number;
  detectOnly: boolean;
  /** Omitted: no HTTP server. */
  listen?: string;
  kubeconfig?: string;
  leader?: { context: string; namespace: string; name: string; identity?: string; timing?: ElectionTiming };
  webhookSecret?: string;
  log: Logger;
  /** Read once per run; the CLI passes the clock it read at start (ROSTER_NOW or the system clock). */
  now: Clock;
  /** Default: the real cluster client; tests may wrap it. */
  connect?: EngineOptions['connect'];
}

export async function createService(cfg: ServeConfig): Promise<RosterService> {
  const engine: EngineOptions = {};
  if (cfg.kubeconfig !== undefined) engine.kubeconfig = cfg.kubeconfig;
  if (cfg.connect) engine.connect = cfg.connect;
  const lease = cfg.leader
    ? await connectLease({ ...cfg.leader, ...(cfg.kubeconfig ? { kubeconfig: cfg.kubeconfig } : {}) })
    : undefined;
  const identity = cfg.leader?.identity ?? defaultIdentity();
  const log = cfg.log.child({ identity });
  return new RosterService({
    sync: {
      load: configLoader(cfg.repo, log),
      select: (model) => selectClusters(model, cfg.clusters),
      reconcile: engineReconciler(engine),
      now: cfg.now,
      detectOnly: cfg.detectOnly,
    },
    intervalMs: cfg.intervalMs,
    log,
    metrics: new ServeMetrics(),
    ...(lease ? { elector: electorFactory(lease, identity, log, cfg.leader?.timing) } : {}),
    ...(cfg.listen !== undefined ? { listen: cfg.listen } : {}),
    ...(cfg.webhookSecret ? { webhookSecret: cfg.webhookSecret } : {}),
  });
}

function electorFactory(client: LeaseClient, identity: string, log: Logger, timing: ElectionTiming | undefined) {
  return (events: ElectionEvents) =>
    new LeaderElector({ client, identity, log, ...events, ...(timing ? { timing } : {}) });
}

/**
 * source → load → validate, logged as JSON. Warnings are logged when the commit changes, not on every run;
 * errors every time, since nothing is reconciled until someone fixes them.
 */
function configLoader(repo: RepoFlags, log: Logger): (at: Date) => Promise<LoadedConfig> {
  let warnedFor: string | undefined;
  return async (at) => {
    const outcome = await readConfig(repo, at);
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    const key = outcome.snapshot.commit ?? outcome.snapshot.label;
    if (errors.length > 0 || !outcome.model) {
      for (const d of errors) log.error({ diagnostic: formatDiagnostic(d), code: d.code }, 'invalid config');
      throw new InvalidConfigError(`${errors.length} error(s) in ${outcome.snapshot.label}; nothing was changed`, {
        errors: errors.length,
      });
    }
    const warnings = outcome.diagnostics.filter((d) => d.severity === 'warning');
    if (warnedFor !== key) {
      for (const w of outcome.snapshot.warnings) log.warn({ source: outcome.snapshot.label }, w);
      for (const d of warnings) log.warn({ diagnostic: formatDiagnostic(d), code: d.code }, 'config warning');
      warnedFor = key;
    }
    return { model: outcome.model, snapshot: outcome.snapshot, warnings };
  };
}

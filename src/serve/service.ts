/**
 * `roster serve` as an object: a run on start, on every interval, at the next grant or token boundary, on a
 * webhook and on becoming leader; one run at a time; and a stop() that lets the run in flight finish its writes
 * before the lease is handed back and the HTTP server closes.
 */
import { ExitCode, RosterError } from '../errors.js';
import { errorFields, type Logger } from '../log.js';
import { startHttpServer, type Readiness, type RunningServer } from './http.js';
import type { LeaderElector } from './leader.js';
import type { ServeMetrics } from './metrics.js';
import { SerialRunner, realTimers, type Timers } from './queue.js';
import { nextRun } from './schedule.js';
import { syncOnce, type SyncDeps, type SyncState } from './sync.js';

/** Why writes in flight stop when this replica loses the leader lease (the abort signal's reason). */
export class LeaseLostError extends RosterError {
  constructor() {
    super('LeaseLostError', 'leader lease lost', { exitCode: ExitCode.clusterFailed });
  }
}

export interface ServiceOptions {
  sync: Pick<SyncDeps, 'load' | 'select' | 'reconcile' | 'now' | 'detectOnly'>;
  intervalMs: number;
  log: Logger;
  metrics: ServeMetrics;
  /** Leader election; omitted: this process is the only reconciler and always leads. */
  elector?: (events: ElectionEvents) => LeaderElector;
  /** Omitted: no HTTP server (tests of the loop alone). */
  listen?: string;
  /** Set: POST /webhook accepts pushes signed with it. */
  webhookSecret?: string;
  timers?: Timers;
}

export interface ElectionEvents {
  onChange: (leading: boolean) => void;
  onFetchRequested: () => void;
}

export class RosterService {
  private state: SyncState = { loaded: false, boundaries: [] };
  private readonly runner: SerialRunner;
  private readonly timers: Timers;
  private timer: unknown;
  private abort = new AbortController();
  private elector: LeaderElector | undefined;
  private server: RunningServer | undefined;
  private stopping: Promise<void> | undefined;
  private runs = 0;

  constructor(private readonly opts: ServiceOptions) {
    this.timers = opts.timers ?? realTimers;
    this.runner = new SerialRunner(
      (reasons) => this.runOnce(reasons),
      (err) => opts.log.error({ err: errorFields(err) }, 'run failed'),
    );
  }

  /** The port the HTTP server listens on (useful with `--listen :0`). */
  get port(): number | undefined {
    return this.server?.port;
  }

  async start(): Promise<void> {
    const { listen, webhookSecret, metrics, log } = this.opts;
    if (listen !== undefined) {
      const webhook = webhookSecret
        ? { secret: webhookSecret, trigger: (reason: string) => this.webhookReceived(reason) }
        : undefined;
      this.server = await startHttpServer({
        listen,
        metrics,
        log,
        readiness: () => this.readiness(),
        ...(webhook ? { webhook } : {}),
      });
    }
    this.elector = this.opts.elector?.({
      onChange: (leading) => this.leadershipChanged(leading),
      onFetchRequested: () => this.trigger('webhook (passed on by a standby)'),
    });
    metrics.setLeader(!this.elector);
    this.elector?.start();
    this.trigger('start');
  }

  /** Asks for a run now (webhook, leadership); it joins the queued rerun if one is in flight. */
  trigger(reason: string): void {
    this.runner.request(reason);
  }

  /** A standby passes the webhook on to the leader through the Lease; it also fetches itself, to stay warm. */
  private webhookReceived(reason: string): void {
    if (this.elector && !this.elector.isLeader) void this.elector.requestFetch();
    this.trigger(reason);
  }

  readiness(): Readiness {
    if (!this.state.loaded) return { ready: false, detail: 'no valid config fetched yet' };
    if (!this.elector) return { ready: true, detail: 'leader (no leader election)' };
    if (!this.elector.known) return { ready: false, detail: 'lease not read yet' };
    return { ready: true, detail: this.elector.isLeader ? 'leader' : 'standby' };
  }

  /** Stops scheduling, waits for the run in flight, hands back the lease, closes the HTTP server. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.opts.log.info({ running: this.runner.running }, 'stopping: no new runs; waiting for the run in flight');
    this.timers.clearTimeout(this.timer);
    await this.runner.close();
    await this.elector?.stop();
    await this.server?.close();
    this.opts.log.info({ runs: this.runs }, 'stopped');
  }

  private async runOnce(reasons: string[]): Promise<void> {
    const deps: SyncDeps = {
      ...this.opts.sync,
      metrics: this.opts.metrics,
      log: this.opts.log,
      isLeader: () => !this.elector || this.elector.isLeader,
      signal: () => this.abort.signal,
    };
    const started = Date.now();
    this.state = await syncOnce(deps, this.state, reasons);
    this.runs += 1;
    this.opts.log.debug({ reasons, ms: Date.now() - started }, 'run finished');
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.stopping) return;
    this.timers.clearTimeout(this.timer);
    const next = nextRun({
      now: this.opts.sync.now(),
      intervalMs: this.opts.intervalMs,
      boundaries: this.state.boundaries,
    });
    if (next.reason === 'expiry')
      this.opts.log.info({ at: next.boundary, inMs: next.delayMs }, 'next run at a grant or token boundary');
    this.timer = this.timers.setTimeout(() => this.trigger(next.reason), next.delayMs);
  }

  private leadershipChanged(leading: boolean): void {
    this.opts.metrics.setLeader(leading);
    if (leading) return this.trigger('became leader');
    // Lost the lease: writes not yet started must not start.
    this.abort.abort(new LeaseLostError());
    this.abort = new AbortController();
  }
}

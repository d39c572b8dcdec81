/**
 * The Prometheus metrics `roster serve` exposes on /metrics. Each instance owns its own Registry (never
 * prom-client's global one), so tests and several services in one process never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What one cluster's reconcile contributed: how long it took, and how many objects got each action. */
export interface ClusterRunSample {
  cluster: string;
  durationSeconds: number;
  /** Objects by action (`created`, `updated`, `unchanged`, `drifted`, `pruned`, `skipped`, `failed`). */
  actions: Record<string, number>;
  /** Objects that differed from Git when the run started (drift detected, corrected or not). */
  driftObjects: number;
  ok: boolean;
  /** Unix seconds the run finished; used for the last-successful-sync gauge. */
  finishedAt: number;
}

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly duration = new Histogram({
    name: 'roster_reconcile_duration_seconds',
    help: 'Time one reconcile of one cluster took, from reading live state to the last write.',
    labelNames: ['cluster'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly objects = new Counter({
    name: 'roster_objects_total',
    help:
      'Objects handled by reconcile runs, by cluster and action (created, updated, unchanged, drifted, ' +
      'pruned, skipped, failed).',
    labelNames: ['cluster', 'action'],
    registers: [this.registry],
  });
  private readonly drift = new Gauge({
    name: 'roster_drift_objects',
    help: 'Objects that differed from Git in the last run on the cluster (with --detect-only they stay different).',
    labelNames: ['cluster'],
    registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({
    name: 'roster_last_successful_sync_timestamp_seconds',
    help: 'Unix time the cluster last finished a reconcile without errors.',
    labelNames: ['cluster'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'roster_reconcile_errors_total',
    help: 'Reconcile runs on the cluster that failed or left an object failed.',
    labelNames: ['cluster'],
    registers: [this.registry],
  });
  private readonly commit = new Gauge({
    name: 'roster_applied_commit_info',
    help: 'Always 1; the commit label names the config commit the last run reconciled.',
    labelNames: ['commit'],
    registers: [this.registry],
  });
  private readonly leader = new Gauge({
    name: 'roster_leader',
    help: '1 while this replica holds the leader lease (or runs without leader election), 0 on standby.',
    registers: [this.registry],
  });
  private readonly sourceErrors = new Counter({
    name: 'roster_source_errors_total',
    help: 'Runs that could not fetch or validate the config repository (nothing was reconciled).',
    registers: [this.registry],
  });

  private readonly reviews = new Gauge({
    name: 'roster_reviews',
    help:
      'Teams and access tokens by access review state (overdue, due-soon, ok) ' +
      'and whether their grants are suspended, from the last valid config.',
    labelNames: ['kind', 'state', 'suspended'],
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'roster_' });
    this.leader.set(0);
    this.sourceErrors.inc(0);
  }

  recordCluster(sample: ClusterRunSample): void {
    const { cluster } = sample;
    this.duration.observe({ cluster }, sample.durationSeconds);
    for (const [action, count] of Object.entries(sample.actions))
      if (count > 0) this.objects.inc({ cluster, action }, count);
    this.drift.set({ cluster }, sample.driftObjects);
    this.errors.inc({ cluster }, sample.ok ? 0 : 1);
    if (sample.ok) this.lastSuccess.set({ cluster }, sample.finishedAt);
  }

  recordCommit(commit: string): void {
    this.commit.reset();
    this.commit.set({ commit }, 1);
  }

  /**
   * Replaces the review gauge with the counts of the config just validated; `undefined` (the Settings ask for no
   * reviews) removes every series, so an alert on the last counts does not outlive the policy.
   */
  recordReviews(statuses: readonly { kind: string; state: string; suspended: boolean }[] | undefined): void {
    this.reviews.reset();
    if (statuses === undefined) return;
    for (const kind of ['team', 'token'])
      for (const state of ['overdue', 'due-soon', 'ok']) {
        const matching = statuses.filter((s) => s.kind === kind && s.state === state);
        const suspended = matching.filter((s) => s.suspended).length;
        this.reviews.set({ kind, state, suspended: 'false' }, matching.length - suspended);
        if (state === 'overdue') this.reviews.set({ kind, state, suspended: 'true' }, suspended);
      }
  }

  recordSourceError(): void {
    this.sourceErrors.inc();
  }

  setLeader(isLeader: boolean): void {
    this.leader.set(isLeader ? 1 : 0);
  }

  /** The text exposition format Prometheus scrapes. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

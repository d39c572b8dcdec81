/**
 * Leader election over one Lease, the way client-go's leaderelection does it, so two replicas never reconcile at
 * once: a candidate takes the Lease when it is free or its holder has not renewed for a lease duration (measured
 * on the candidate's own clock from when it saw the last change, so clock skew between nodes does not matter);
 * the leader renews every retry period and steps down when it could not renew within the renew deadline, which
 * is shorter than the lease duration: the old leader has stopped before anyone else may start.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isApiError, type Lease, type LeaseClient, type LeaseSpec } from '../cluster/index.js';
import { errorFields, type Logger } from '../log.js';
import { realTimers, type Timers } from './queue.js';
import { formatMicroTime } from '../time.js';

export interface ElectionTiming {
  /** How long a Lease nobody renews keeps others out. Default 15 s. */
  leaseDurationMs: number;
  /** The leader steps down when it could not renew for this long. Default 10 s. */
  renewDeadlineMs: number;
  /** Between attempts to acquire or renew. Default 2 s. */
  retryPeriodMs: number;
}

export const DEFAULT_TIMING: ElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

export interface ElectorOptions {
  /** Owned by the elector from here on: stop() closes it. */
  client: LeaseClient;
  identity: string;
  timing?: ElectionTiming;
  log: Logger;
  /** Called with true when this replica becomes leader, false when it stops being leader. */
  onChange: (leading: boolean) => void;
  /** Called on the leader when a standby asked for a fetch (it received a webhook). */
  onFetchRequested?: () => void;
  now?: () => number;
  timers?: Timers;
}

/** hostname-pid-random: unique per process, and readable in `kubectl get lease -o yaml`. */
export function defaultIdentity(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

type Attempt = 'leading' | 'held-by-other' | 'error';

/** The Lease annotation a standby sets to pass a webhook on to the leader. */
export const FETCH_REQUESTED_ANNOTATION = 'roster.dev/fetch-requested';

export class LeaderElector {
  private readonly timing: ElectionTiming;
  private readonly now: () => number;
  private readonly timers: Timers;
  private observed: { key: string; at: number } | undefined;
  private lastRenewAt: number | undefined;
  private handle: unknown;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private leading = false;
  /** The fetch-request annotation as last seen; a change while leading means a standby got a webhook. */
  private fetchRequest: string | undefined;
  /** True once the Lease was read at least once: the replica knows whether it is leader or standby. */
  known = false;

  constructor(private readonly opts: ElectorOptions) {
    this.timing = opts.timing ?? DEFAULT_TIMING;
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
  }

  get identity(): string {
    return this.opts.identity;
  }

  /** Leader only while the last successful renew is younger than the renew deadline, checked on every call. */
  get isLeader(): boolean {
    return this.lastRenewAt !== undefined && this.now() - this.lastRenewAt < this.timing.renewDeadlineMs;
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops campaigning; a leader hands the Lease back so a standby takes over at its next retry. Closes the client. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.handle);
    await this.inFlight;
    if (this.isLeader) await this.release();
    this.setLeading(false);
    this.opts.client.close();
  }

  /** On a standby: asks the leader, through the Lease, to fetch now. Failures are logged, not thrown. */
  async requestFetch(): Promise<void> {
    try {
      await this.opts.client.annotate(FETCH_REQUESTED_ANNOTATION, formatMicroTime(new Date(this.now())));
    } catch (err) {
      this.opts.log.warn(
        { err: errorFields(err) },
        'leader election: could not pass the fetch request on to the leader',
      );
    }
  }

  /** One round: acquire or renew. Exposed for tests; start() calls it every retry period. */
  async step(): Promise<Attempt> {
    const startedAt = this.now();
    const attempt = await this.tryAcquireOrRenew(startedAt).catch((err: unknown) => this.failed(err));
    if (attempt === 'leading') this.lastRenewAt = startedAt;
    if (attempt === 'held-by-other') this.lastRenewAt = undefined;
    this.setLeading(this.isLeader);
    return attempt;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.handle = this.timers.setTimeout(() => {
      this.inFlight = this.step().then(() => this.schedule(this.timing.retryPeriodMs));
    }, delayMs);
  }

  private async tryAcquireOrRenew(at: number): Promise<Attempt> {
    const lease = await this.opts.client.get();
    this.known = true;
    if (!lease) {
      await this.opts.client.create(this.record(at, undefined));
      this.fetchRequest = '';
      return 'leading';
    }
    this.observe(lease, at);
    this.noticeFetchRequest(lease);
    const holder = lease.spec.holderIdentity;
    const mine = holder === this.identity;
    if (holder && !mine && !this.observedExpired(at)) return 'held-by-other';
    await this.opts.client.update(lease.resourceVersion, this.record(at, lease.spec));
    return 'leading';
  }

  private record(at: number, previous: LeaseSpec | undefined): LeaseSpec {
    const mine = previous?.holderIdentity === this.identity;
    const time = formatMicroTime(new Date(at));
    return {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.ceil(this.timing.leaseDurationMs / 1000),
      acquireTime: mine && previous?.acquireTime ? previous.acquireTime : time,
      renewTime: time,
      leaseTransitions: (previous?.leaseTransitions ?? 0) + (previous && !mine ? 1 : 0),
    };
  }

  /** Remembers when the Lease last changed, by this replica's clock. */
  private observe(lease: Lease, at: number): void {
    const key = `${lease.spec.holderIdentity ?? ''}|${lease.spec.renewTime ?? ''}|${lease.resourceVersion}`;
    if (this.observed?.key !== key) this.observed = { key, at };
  }

  private noticeFetchRequest(lease: Lease): void {
    const value = lease.annotations[FETCH_REQUESTED_ANNOTATION] ?? '';
    const changed = this.fetchRequest !== undefined && value !== this.fetchRequest;
    this.fetchRequest = value;
    if (changed && this.isLeader) this.opts.onFetchRequested?.();
  }

  private observedExpired(at: number): boolean {
    return this.observed !== undefined && at > this.observed.at + this.timing.leaseDurationMs;
  }

  private failed(err: unknown): Attempt {
    // 409: the Lease changed between our read and our write (a rival's take-over or a standby's annotation).
    // Not a verdict by itself: the next round reads it again; a leader keeps leading until its renew deadline.
    if (isApiError(err, 409)) return 'error';
    this.opts.log.warn({ err: errorFields(err) }, 'leader election: lease request failed');
    return 'error';
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.opts.client.get();
      if (lease?.spec.holderIdentity !== this.identity) return;
      const time = formatMicroTime(new Date(this.now()));
      await this.opts.client.update(lease.resourceVersion, {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        renewTime: time,
      });
      this.opts.log.info('leader election: lease released');
    } catch (err) {
      this.opts.log.warn(
        { err: errorFields(err) },
        'leader election: could not release the lease; it expires on its own',
      );
    }
    this.lastRenewAt = undefined;
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.opts.log.info({ leading }, leading ? 'leader election: became leader' : 'leader election: stopped leading');
    this.opts.onChange(leading);
  }
}

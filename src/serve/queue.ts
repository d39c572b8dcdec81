/**
 * The two timing rules `serve` and `watch` share, as small pure classes over an injectable timer:
 * one run at a time with at most one queued rerun (requests during a run collapse into that rerun), and a
 * debounce that turns a burst of file events into one request.
 */

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** One run, and the reasons that asked for it (several requests collapse into one run). */
export type RunFn = (reasons: string[]) => Promise<void>;

/**
 * Runs `run` for each request, never two at once. A request while a run is in flight marks one rerun; further
 * requests add their reason to that same rerun. A run that throws is reported to `onError` and does not stop
 * later runs.
 */
export class SerialRunner {
  private current: Promise<void> | undefined;
  private pending: string[] | undefined;
  private closed = false;

  constructor(
    private readonly run: RunFn,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Asks for one run for all the reasons given; returns at once. Ignored after close(). */
  request(...reasons: string[]): void {
    if (this.closed || reasons.length === 0) return;
    if (this.current) {
      this.pending = [...(this.pending ?? []), ...reasons];
      return;
    }
    this.current = this.loop(reasons);
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Resolves when no run is in flight and none is queued. */
  async idle(): Promise<void> {
    while (this.current) await this.current;
  }

  /** Drops the queued rerun and refuses new requests; resolves once the run in flight (if any) finished. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = undefined;
    await this.idle();
  }

  private async loop(first: string[]): Promise<void> {
    let reasons: string[] | undefined = first;
    while (reasons) {
      try {
        await this.run(unique(reasons));
      } catch (err) {
        this.onError(err);
      }
      reasons = this.pending;
      this.pending = undefined;
    }
    this.current = undefined;
  }
}

/** Calls `fire` once `delayMs` passed without another poke(); a poke restarts the wait. */
export class Debouncer {
  private handle: unknown;

  constructor(
    private readonly delayMs: number,
    private readonly fire: () => void,
    private readonly timers: Timers = realTimers,
  ) {}

  poke(): void {
    this.cancel();
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.fire();
    }, this.delayMs);
  }

  get waiting(): boolean {
    return this.handle !== undefined;
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}

function unique(reasons: string[]): string[] {
  return [...new Set(reasons)];
}

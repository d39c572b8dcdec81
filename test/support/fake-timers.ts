/** A manual clock for timing logic: timers fire only when a test advances time. */
import type { Timers } from '../../src/serve/queue.js';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeTimers implements Timers {
  private pending: Pending[] = [];
  private nextId = 1;
  time = 0;

  now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Timers still waiting, as delays from now. */
  delays(): number[] {
    return this.pending.map((p) => p.at - this.time).sort((a, b) => a - b);
  }

  /** Moves time forward, firing every timer that falls due, in order; lets promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.time = due.at;
      due.fn();
      await flush();
    }
    this.time = end;
    await flush();
  }
}

/** Lets every already-resolved promise callback run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

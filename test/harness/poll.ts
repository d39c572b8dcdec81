/**
 * Polling with a deadline, for readiness probes and eventually consistent checks. Gives up at once when the
 * process being waited for has exited, instead of waiting out the whole timeout.
 */
import type { ManagedProcess } from './process.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `probe` answers true when ready, or a short reason why not (kept for the timeout message). */
export type Probe = () => Promise<string | boolean>;

export async function pollUntil(opts: {
  what: string;
  timeoutMs: number;
  probe: Probe;
  process?: ManagedProcess;
  intervalMs?: number;
}): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (opts.process && !opts.process.running()) {
      throw new Error(`${opts.what}: ${opts.process.name} exited (${await opts.process.exited}) before it was ready`);
    }
    const answer = await opts.probe().catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    if (answer === true) return;
    if (typeof answer === 'string') last = answer;
    if (Date.now() >= deadline) throw new Error(`${opts.what}: not ready after ${opts.timeoutMs} ms (last: ${last})`);
    await sleep(opts.intervalMs ?? 100);
  }
}

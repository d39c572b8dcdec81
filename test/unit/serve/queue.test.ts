import assert from 'node:assert/strict';
import { Debouncer, SerialRunner } from '../../../src/serve/queue.js';
import { FakeTimers, flush } from '../../support/fake-timers.js';

/** A run the test finishes by hand, so it can ask for more runs while one is in flight. */
function gatedRuns() {
  const calls: string[][] = [];
  const gates: Array<() => void> = [];
  let active = 0;
  let maxActive = 0;
  const run = async (reasons: string[]): Promise<void> => {
    calls.push(reasons);
    active += 1;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((resolve) => gates.push(resolve));
    active -= 1;
  };
  const finishNext = async (): Promise<void> => {
    gates.shift()?.();
    await flush();
  };
  return { run, calls, finishNext, maxActive: () => maxActive };
}

describe('serve/watch scheduling: one run at a time', () => {
  it('starts a run at once when idle', async () => {
    const g = gatedRuns();
    const runner = new SerialRunner(g.run);
    runner.request('start');
    await flush();
    assert.deepEqual(g.calls, [['start']]);
    assert.equal(runner.running, true);
    await g.finishNext();
    assert.equal(runner.running, false);
  });

  it('collapses every request made during a run into exactly one rerun', async () => {
    const g = gatedRuns();
    const runner = new SerialRunner(g.run);
    runner.request('start');
    await flush();
    runner.request('teams/a.yaml');
    runner.request('teams/b.yaml', 'teams/a.yaml');
    runner.request('webhook');
    await g.finishNext();
    assert.deepEqual(g.calls, [['start'], ['teams/a.yaml', 'teams/b.yaml', 'webhook']]);
    await g.finishNext();
    assert.equal(g.calls.length, 2, 'no third run: the queued rerun covered every request');
    assert.equal(g.maxActive(), 1, 'never two runs at once');
  });

  it('keeps running after a run fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const runner = new SerialRunner(
      async () => {
        n += 1;
        if (n === 1) throw new Error('cluster down');
      },
      (err) => errors.push(err),
    );
    runner.request('first');
    await runner.idle();
    runner.request('second');
    await runner.idle();
    assert.equal(n, 2);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['cluster down'],
    );
  });

  it('close() waits for the run in flight, drops the queued rerun and refuses new requests', async () => {
    const g = gatedRuns();
    const runner = new SerialRunner(g.run);
    runner.request('start');
    await flush();
    runner.request('queued');
    let closed = false;
    const closing = runner.close().then(() => (closed = true));
    await flush();
    assert.equal(closed, false, 'close must wait for the run in flight');
    await g.finishNext();
    await closing;
    runner.request('after close');
    await flush();
    assert.deepEqual(g.calls, [['start']]);
  });
});

describe('watch scheduling: debounce', () => {
  it('fires once, 300 ms after the last of a burst of events', async () => {
    const timers = new FakeTimers();
    let fired = 0;
    const debounce = new Debouncer(300, () => (fired += 1), timers);
    debounce.poke();
    await timers.advance(200);
    debounce.poke();
    await timers.advance(200);
    debounce.poke();
    await timers.advance(299);
    assert.equal(fired, 0, 'still inside the quiet period of the last event');
    await timers.advance(1);
    assert.equal(fired, 1);
    await timers.advance(10_000);
    assert.equal(fired, 1, 'one burst, one run');
  });

  it('cancel() drops a pending fire', async () => {
    const timers = new FakeTimers();
    let fired = 0;
    const debounce = new Debouncer(300, () => (fired += 1), timers);
    debounce.poke();
    debounce.cancel();
    await timers.advance(1_000);
    assert.equal(fired, 0);
    assert.equal(debounce.waiting, false);
  });
});

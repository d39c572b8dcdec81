/**
 * The election rules with an in-memory Lease that keeps the API server's optimistic concurrency (409 on a stale
 * resourceVersion) and a manual clock. The real thing, two processes on a real API server, is in
 * test/integration/leader.test.ts.
 */
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/cluster/errors.js';
import type { Lease, LeaseClient, LeaseSpec } from '../../../src/cluster/lease.js';
import { createLogger } from '../../../src/log.js';
import { LeaderElector, defaultIdentity } from '../../../src/serve/leader.js';
import { FakeTimers } from '../../support/fake-timers.js';

class MemoryLeases {
  lease: Lease | undefined;
  private version = 0;
  down = false;

  client(): LeaseClient {
    const check = (): void => {
      if (this.down)
        throw new ApiError(
          { cluster: 'home', status: 0, reason: 'ECONNREFUSED', verb: 'get', ref: 'Lease/roster-system/roster' },
          'refused',
        );
    };
    return {
      namespace: 'roster-system',
      name: 'roster',
      get: async () => (check(), this.lease && structuredClone(this.lease)),
      create: async (spec) => (check(), this.write(undefined, spec)),
      update: async (rv, spec) => (check(), this.write(rv, spec)),
      annotate: async (key, value) => {
        check();
        if (!this.lease)
          throw new ApiError(
            { cluster: 'home', status: 404, reason: 'NotFound', verb: 'patch', ref: 'Lease/roster-system/roster' },
            'not found',
          );
        this.lease = {
          ...this.lease,
          resourceVersion: String(++this.version),
          annotations: { ...this.lease.annotations, [key]: value },
        };
      },
      close: () => {},
    };
  }

  private write(expected: string | undefined, spec: LeaseSpec): Lease {
    if (this.lease?.resourceVersion !== expected) {
      throw new ApiError(
        { cluster: 'home', status: 409, reason: 'Conflict', verb: 'update', ref: 'Lease/roster-system/roster' },
        'the object has been modified',
      );
    }
    const lease: Lease = {
      resourceVersion: String(++this.version),
      spec: structuredClone(spec),
      annotations: this.lease?.annotations ?? {},
    };
    this.lease = lease;
    return structuredClone(lease);
  }
}

function elector(
  store: MemoryLeases,
  timers: FakeTimers,
  identity: string,
  changes: boolean[] = [],
  onFetchRequested?: () => void,
): LeaderElector {
  const log = createLogger({ level: 'silent' });
  return new LeaderElector({
    client: store.client(),
    identity,
    log,
    onChange: (l) => void changes.push(l),
    now: timers.now,
    timers,
    ...(onFetchRequested ? { onFetchRequested } : {}),
  });
}

describe('leader election', () => {
  it('lets exactly one of two replicas lead, and records it as the Lease holder', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    const a = elector(store, timers, 'a');
    const b = elector(store, timers, 'b');
    assert.equal(await a.step(), 'leading');
    assert.equal(await b.step(), 'held-by-other');
    assert.equal(a.isLeader, true);
    assert.equal(b.isLeader, false);
    assert.equal(store.lease?.spec.holderIdentity, 'a');
    assert.equal(store.lease?.spec.leaseDurationSeconds, 15);
    assert.match(
      store.lease?.spec.renewTime ?? '',
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
      'MicroTime has six fractional digits',
    );
  });

  it('keeps the standby out while the leader renews, however long that is', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    const a = elector(store, timers, 'a');
    const b = elector(store, timers, 'b');
    a.start();
    b.start();
    await timers.advance(60_000);
    assert.equal(a.isLeader, true);
    assert.equal(b.isLeader, false);
    assert.equal(store.lease?.spec.leaseTransitions, 0);
  });

  it('hands over once the leader stops renewing for a lease duration, and not before', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    const a = elector(store, timers, 'a');
    const bChanges: boolean[] = [];
    const b = elector(store, timers, 'b', bChanges);
    await a.step(); // a leads, then dies without releasing
    b.start();
    await timers.advance(14_000);
    assert.equal(b.isLeader, false, 'the lease is still valid 14 s after the last renew');
    await timers.advance(4_000);
    assert.equal(b.isLeader, true, 'taken over within lease duration + one retry period');
    assert.deepEqual(bChanges, [true]);
    assert.equal(store.lease?.spec.holderIdentity, 'b');
    assert.equal(store.lease?.spec.leaseTransitions, 1);
  });

  it('steps down when it cannot renew within the renew deadline, before anyone else may take over', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    const changes: boolean[] = [];
    const a = elector(store, timers, 'a', changes);
    a.start();
    await timers.advance(1);
    assert.equal(a.isLeader, true);
    store.down = true;
    await timers.advance(9_000);
    assert.equal(a.isLeader, true, 'still inside the 10 s renew deadline');
    await timers.advance(1_100);
    assert.equal(a.isLeader, false, 'isLeader turns false the moment the deadline passes');
    await timers.advance(2_000);
    assert.deepEqual(changes, [true, false]);
  });

  it('releases the lease on stop so the standby takes over at its next retry', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    const a = elector(store, timers, 'a');
    const b = elector(store, timers, 'b');
    await a.step();
    await b.step();
    await a.stop();
    assert.equal(store.lease?.spec.holderIdentity, '');
    assert.equal(await b.step(), 'leading');
  });

  it('passes a webhook received by the standby on to the leader, without costing the leader its lease', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    let fetches = 0;
    const a = elector(store, timers, 'a', [], () => (fetches += 1));
    const b = elector(store, timers, 'b');
    a.start();
    b.start();
    await timers.advance(4_000);
    assert.equal(fetches, 0, 'no request yet');
    await b.requestFetch();
    await timers.advance(2_000);
    assert.equal(fetches, 1, 'the leader saw the request at its next renew');
    await timers.advance(20_000);
    assert.equal(fetches, 1, 'one request, one fetch');
    assert.equal(a.isLeader, true);
    assert.equal(b.isLeader, false);
  });

  it('does not miss a fetch request made right after the leader created the Lease', async () => {
    const store = new MemoryLeases();
    const timers = new FakeTimers();
    let fetches = 0;
    const a = elector(store, timers, 'a', [], () => (fetches += 1));
    const b = elector(store, timers, 'b');
    await a.step();
    await b.requestFetch();
    await a.step();
    assert.equal(fetches, 1);
  });

  it('names itself hostname-pid-random', () => {
    assert.match(defaultIdentity(), new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    assert.notEqual(defaultIdentity(), defaultIdentity());
  });
});

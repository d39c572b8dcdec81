/**
 * The serve loop's timing and shutdown rules, with the config loader and the engine replaced by recorders (the
 * real engine against a real API server is test/integration/serve.test.ts).
 */
import assert from 'node:assert/strict';
import type { LoadedConfig } from '../../../src/config/read.js';
import type { ClusterClient } from '../../../src/cluster/types.js';
import { createLogger } from '../../../src/log.js';
import { DEFAULT_SETTINGS, type Model } from '../../../src/model/types.js';
import type { RunResult } from '../../../src/reconcile/changes.js';
import { leaderOnlyWrites } from '../../../src/serve/engine.js';
import { ServeMetrics } from '../../../src/serve/metrics.js';
import { RosterService } from '../../../src/serve/service.js';
import type { ReconcileRequest } from '../../../src/serve/sync.js';
import { FakeTimers, flush } from '../../support/fake-timers.js';
import { cluster, team } from '../../support/models.js';
import { sample } from '../../support/scrape.js';

const START = Date.parse('2026-03-01T00:00:00Z');
const HOUR = 3_600_000;

function model(expires?: string): Model {
  const grants = [{ role: 'viewer', namespaces: ['payments'], ...(expires ? { expires } : {}) }];
  return {
    settings: { ...DEFAULT_SETTINGS },
    clusters: [cluster('east', {})],
    roles: [],
    teams: [team('payments', { users: ['alice@example.com'] }, grants)],
    tokens: [],
  };
}

function harness(opts: { expires?: string; detectOnly?: boolean; invalid?: () => boolean } = {}) {
  const timers = new FakeTimers();
  const calls: ReconcileRequest[] = [];
  let gate: Promise<void> = Promise.resolve();
  const metrics = new ServeMetrics({ processMetrics: false });
  const load = async (): Promise<LoadedConfig> => {
    if (opts.invalid?.())
      throw Object.assign(new Error('2 error(s) in repo; nothing was changed'), { code: 'InvalidConfigError' });
    return {
      model: model(opts.expires),
      snapshot: { label: 'repo@HEAD', files: [], commit: 'c0ffee', warnings: [] },
      warnings: [],
    };
  };
  const reconcile = async (req: ReconcileRequest): Promise<RunResult> => {
    calls.push(req);
    await gate;
    const key = { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' as const, namespace: 'payments', name: 'b' };
    return {
      mode: req.mode,
      dryRun: false,
      clusters: [{ name: 'east', status: 'ok', changes: [{ key, action: 'created' }], requests: {}, durationMs: 40 }],
    };
  };
  const service = new RosterService({
    sync: {
      load,
      select: (m) => [...m.clusters],
      reconcile,
      now: () => new Date(START + timers.time),
      detectOnly: opts.detectOnly === true,
    },
    intervalMs: HOUR,
    log: createLogger({ level: 'silent' }),
    metrics,
    timers,
  });
  return {
    service,
    timers,
    calls,
    metrics,
    hold: () => {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return open;
    },
  };
}

describe('roster serve loop', () => {
  it('reconciles at start, then once per interval', async () => {
    const h = harness();
    assert.equal(h.service.readiness().ready, false);
    await h.service.start();
    await flush();
    assert.equal(h.calls.length, 1);
    assert.deepEqual(h.service.readiness(), { ready: true, detail: 'leader (no leader election)' });
    await h.timers.advance(HOUR - 1);
    assert.equal(h.calls.length, 1);
    await h.timers.advance(1);
    assert.equal(h.calls.length, 2);
    await h.service.stop();
  });

  it('runs when a grant expires, without a new commit or waiting for the interval', async () => {
    const h = harness({ expires: new Date(START + 30_000).toISOString() });
    await h.service.start();
    await flush();
    assert.equal(h.calls.length, 1);
    await h.timers.advance(31_000);
    assert.equal(h.calls.length, 2, 'a run just after the expiry');
    assert.ok(h.calls[1]!.now.getTime() > START + 30_000, 'the run compiles with a clock past the expiry');
    await h.service.stop();
  });

  it('reports drift without writing in --detect-only', async () => {
    const h = harness({ detectOnly: true });
    await h.service.start();
    await flush();
    assert.equal(h.calls[0]?.mode, 'drift');
    await h.service.stop();
  });

  it('records metrics for the run: objects by action, the applied commit, the leader', async () => {
    const h = harness();
    await h.service.start();
    await flush();
    const { body } = await h.metrics.scrape();
    assert.equal(sample(body, 'roster_objects_total{cluster="east",action="created"}'), 1);
    assert.equal(sample(body, 'roster_applied_commit_info{commit="c0ffee"}'), 1);
    assert.equal(sample(body, 'roster_drift_objects{cluster="east"}'), 1);
    assert.equal(sample(body, 'roster_leader'), 1);
    await h.service.stop();
  });

  it('stays unready and touches no cluster while the config is invalid', async () => {
    const h = harness({ invalid: () => true });
    await h.service.start();
    await flush();
    assert.equal(h.calls.length, 0);
    assert.deepEqual(h.service.readiness(), { ready: false, detail: 'no valid config fetched yet' });
    assert.equal(sample((await h.metrics.scrape()).body, 'roster_source_errors_total'), 1);
    await h.service.stop();
  });

  it('skips a webhook run for a commit already reconciled, and queues one run for triggers during a run', async () => {
    const h = harness();
    await h.service.start();
    await flush();
    h.service.trigger('webhook (github)');
    await flush();
    assert.equal(h.calls.length, 1, 'same commit, last run converged: nothing to do');
    const open = h.hold();
    h.service.trigger('became leader');
    await flush();
    h.service.trigger('webhook (github)');
    h.service.trigger('interval');
    open();
    await flush();
    assert.equal(h.calls.length, 3, 'the run in flight plus one queued rerun');
    await h.service.stop();
  });

  it('on stop, lets the run in flight finish, then runs nothing more', async () => {
    const h = harness();
    const open = h.hold();
    await h.service.start();
    await flush();
    let stopped = false;
    const stopping = h.service.stop().then(() => (stopped = true));
    await flush();
    assert.equal(stopped, false, 'stop waits for the run in flight');
    open();
    await stopping;
    await h.timers.advance(10 * HOUR);
    assert.equal(h.calls.length, 1);
    assert.deepEqual(h.timers.delays(), [], 'no timer left behind');
  });
});

describe('serve: writes after the leader lease is lost', () => {
  it('refuses every apply and delete once the signal is aborted; reads still work', async () => {
    let writes = 0;
    const inner: ClusterClient = {
      cluster: 'east',
      listNamespaces: async () => ['default'],
      list: async () => [],
      get: async () => undefined,
      create: async () => (writes++, {} as never),
      apply: async () => (writes++, {} as never),
      delete: async () => (writes++, true),
      impersonate: () => inner,
      requests: () => ({}),
      close: () => {},
    };
    const abort = new AbortController();
    const client = leaderOnlyWrites(inner, abort.signal);
    const obj = {
      apiVersion: 'v1' as const,
      kind: 'ServiceAccount' as const,
      metadata: { name: 'ci', namespace: 'roster-tokens' },
    };
    await client.apply(obj, { dryRun: false, force: true });
    assert.equal(writes, 1);
    abort.abort();
    await assert.rejects(client.apply(obj, { dryRun: false, force: true }), {
      code: 'LeadershipLostError',
      message: /ServiceAccount\/roster-tokens\/ci: write not sent/,
    });
    await assert.rejects(client.create(obj, { dryRun: false }), { code: 'LeadershipLostError' });
    await assert.rejects(
      client.delete(
        { group: '', kind: 'ServiceAccount', namespace: 'roster-tokens', name: 'ci' },
        { dryRun: false, preconditions: { uid: 'u', resourceVersion: '1' } },
      ),
      { code: 'LeadershipLostError' },
    );
    const delegate = client.impersonate('system:serviceaccount:roster-delegations:payments');
    await assert.rejects(delegate.apply(obj, { dryRun: false, force: true }), { code: 'LeadershipLostError' });
    assert.equal(writes, 1);
    assert.deepEqual(await client.listNamespaces(), ['default']);
  });
});

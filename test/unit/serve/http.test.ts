import assert from 'node:assert/strict';
import { createLogger } from '../../../src/log.js';
import { parseListen, startHttpServer, type Readiness, type RunningServer } from '../../../src/serve/http.js';
import { ServeMetrics } from '../../../src/serve/metrics.js';
import { sample } from '../../support/scrape.js';

const quiet = createLogger({ level: 'silent' });

describe('metrics', () => {
  it('records a cluster run as duration, objects by action, drift, last success and errors', async () => {
    const metrics = new ServeMetrics({ processMetrics: false });
    metrics.recordCluster({
      cluster: 'east',
      durationSeconds: 0.2,
      actions: { created: 3, unchanged: 5, pruned: 1, failed: 0 },
      driftObjects: 4,
      ok: true,
      finishedAt: 1_780_000_000,
    });
    metrics.recordCluster({
      cluster: 'west',
      durationSeconds: 1.5,
      actions: { failed: 2 },
      driftObjects: 2,
      ok: false,
      finishedAt: 1_780_000_001,
    });
    metrics.recordCommit('0123456789abcdef0123456789abcdef01234567');
    metrics.setLeader(true);
    const { body, contentType } = await metrics.scrape();
    assert.match(contentType, /text\/plain/);
    assert.equal(sample(body, 'roster_objects_total{cluster="east",action="created"}'), 3);
    assert.equal(sample(body, 'roster_objects_total{cluster="east",action="pruned"}'), 1);
    assert.equal(
      sample(body, 'roster_objects_total{cluster="east",action="failed"}'),
      undefined,
      'zero counts are not emitted',
    );
    assert.equal(sample(body, 'roster_drift_objects{cluster="east"}'), 4);
    assert.equal(sample(body, 'roster_last_successful_sync_timestamp_seconds{cluster="east"}'), 1_780_000_000);
    assert.equal(
      sample(body, 'roster_last_successful_sync_timestamp_seconds{cluster="west"}'),
      undefined,
      'a failed run is no successful sync',
    );
    assert.equal(sample(body, 'roster_reconcile_errors_total{cluster="west"}'), 1);
    assert.equal(sample(body, 'roster_reconcile_errors_total{cluster="east"}'), 0);
    assert.equal(sample(body, 'roster_reconcile_duration_seconds_count{cluster="west"}'), 1);
    assert.equal(sample(body, 'roster_reconcile_duration_seconds_bucket{le="2.5",cluster="west"}'), 1);
    assert.equal(sample(body, 'roster_applied_commit_info{commit="0123456789abcdef0123456789abcdef01234567"}'), 1);
    assert.equal(sample(body, 'roster_leader'), 1);
  });

  it('keeps only the latest applied commit', async () => {
    const metrics = new ServeMetrics({ processMetrics: false });
    metrics.recordCommit('aaaa');
    metrics.recordCommit('bbbb');
    const { body } = await metrics.scrape();
    assert.equal(sample(body, 'roster_applied_commit_info{commit="aaaa"}'), undefined);
    assert.equal(sample(body, 'roster_applied_commit_info{commit="bbbb"}'), 1);
  });

  it('gives every instance its own registry', async () => {
    const a = new ServeMetrics();
    const b = new ServeMetrics();
    a.setLeader(true);
    assert.equal(sample((await a.scrape()).body, 'roster_leader'), 1);
    assert.equal(sample((await b.scrape()).body, 'roster_leader'), 0);
    assert.ok(
      (await a.scrape()).body.includes('roster_process_resident_memory_bytes'),
      'process metrics are exported too',
    );
  });
});

describe('health endpoints', () => {
  let server: RunningServer;
  let readiness: Readiness = { ready: false, detail: 'no valid config fetched yet' };

  before(async () => {
    server = await startHttpServer({
      listen: '127.0.0.1:0',
      metrics: new ServeMetrics({ processMetrics: false }),
      readiness: () => readiness,
      log: quiet,
    });
  });
  after(() => server.close());

  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  it('/healthz answers 200 while the process lives', async () => {
    assert.equal((await get('/healthz')).status, 200);
  });

  it('/readyz answers 503 with the reason until ready, then 200 with the role', async () => {
    let res = await get('/readyz');
    assert.equal(res.status, 503);
    assert.match(await res.text(), /not ready: no valid config fetched yet/);
    readiness = { ready: true, detail: 'standby' };
    res = await get('/readyz');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /ready: standby/);
  });

  it('/metrics serves the exposition format; unknown paths and a disabled webhook are 404', async () => {
    const res = await get('/metrics');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /# TYPE roster_leader gauge/);
    assert.equal((await get('/nope')).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/webhook`, { method: 'POST', body: '{}' })).status, 404);
  });
});

describe('--listen', () => {
  it('reads :port, host:port and [ipv6]:port', () => {
    assert.deepEqual(parseListen(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseListen('127.0.0.1:9090'), { host: '127.0.0.1', port: 9090 });
    assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
  });

  it('refuses anything else with a usage error', () => {
    assert.throws(() => parseListen('localhost'), { code: 'ListenError' });
    assert.throws(() => parseListen(':99999'), { code: 'ListenError' });
  });
});

/**
 * The fault mix on the real control plane: through a proxy in front of each API server, 8% of requests get
 * 429 (Retry-After: 1), 5% 503, 4% complete on the server but lose their reply, 1% are answered after 6 s while
 * Roster waits 3 (`--timeout 3`). One `roster apply` must converge: exit 0, nothing reported as conflict or failed,
 * every cluster exactly at the desired state, and a bounded number of requests against the fault-free run.
 *
 * Size: ROSTER_FAULT_TEAMS teams × 10 namespaces bindings per cluster (default 75 × 10 = 750 per cluster, 1,500 in
 * all, each run twice: fault-free and faulted). The 1,500 per cluster (ROSTER_FAULT_TEAMS=150) doubles the
 * time on a shared 2-core machine for no new fault: the rates, not the count, decide what is exercised.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  actionCounts,
  badChanges,
  bulkRepo,
  createNamespaces,
  ownedBindings,
  proxiedClusters,
  rosterWith,
  setRates,
  totalRequests,
  type ProxiedClusters,
} from './fault-support.js';
import { cleanUp, TempRepo, unique } from './reconcile-support.js';
import type { RunJson } from '../../src/report/changes-json.js';
import { bindingName } from '../../src/resources/names.js';
import { FAULTS, type Fault, type FaultCounts, type FaultRates } from '../harness/fault-proxy.js';

const CLUSTERS = ['east', 'west'];
const TEAMS = Number(process.env.ROSTER_FAULT_TEAMS ?? 75);
const NAMESPACE_COUNT = 10;
const MIX = { tooManyRequests: 0.08, unavailable: 0.05, lostReply: 0.04, slow: 0.01 };
/**
 * Every fault the proxy has, the two the mix leaves out included: a 500 after the server carried the request
 * out, and a reset before the request reaches the server. Lower rates, since five of the six are "other" failures
 * drawing on one retry budget (five sends): at 9% of requests, five in a row is about one request in 170,000.
 */
const ALL_SIX = {
  tooManyRequests: 0.04,
  unavailable: 0.02,
  serverError: 0.02,
  lostReply: 0.02,
  resetBeforeSend: 0.02,
  slow: 0.01,
};
const SEED = Number(process.env.ROSTER_FAULT_SEED ?? 20261202);

describe('fault suite: the issue fault mix converges in one apply', function () {
  this.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'roster-faults-'));
  const namespaces = Array.from({ length: NAMESPACE_COUNT }, (_, i) => unique(`fault${i}`));
  const instances: string[] = [];
  let proxied: ProxiedClusters;

  before(async () => {
    await createNamespaces(CLUSTERS, namespaces);
    proxied = await proxiedClusters(dir, CLUSTERS, SEED);
  });

  after(async () => {
    await proxied?.close();
    for (const instance of instances) await cleanUp(instance, []);
    await cleanUp(unique('none'), namespaces);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Faults injected since `before`, summed over the clusters, by fault. */
  function injectedSince(before: Record<string, FaultCounts>): Record<string, number> {
    const faults: Record<string, number> = {};
    for (const c of CLUSTERS) {
      const now = proxied.proxies[c]!.counts();
      for (const [f, n] of Object.entries(now.faults)) faults[f] = (faults[f] ?? 0) + n - before[c]!.faults[f as Fault];
    }
    return faults;
  }

  async function applyRun(rates: FaultRates, label: string) {
    const instance = unique(`faults-${label}`);
    instances.push(instance);
    const repo = new TempRepo(
      bulkRepo({ instance, role: unique('fault-reader'), namespaces, teams: TEAMS, clusters: CLUSTERS }),
    );
    try {
      setRates(proxied, rates);
      const before = Object.fromEntries(CLUSTERS.map((c) => [c, proxied.proxies[c]!.counts()]));
      const started = Date.now();
      const res = await rosterWith(proxied.kubeconfig, repo, 'apply', '-o', 'json', '--timeout', '3');
      const ms = Date.now() - started;
      setRates(proxied, {});
      const faults = injectedSince(before);
      const json = res.out ? (JSON.parse(res.out) as RunJson) : undefined;
      // Converged means a fault-free plan finds nothing to do.
      const plan = await rosterWith(proxied.kubeconfig, repo, 'plan', '-o', 'json');
      return { instance, res, json, ms, faults, plan: JSON.parse(plan.out) as RunJson, repo };
    } finally {
      repo.remove();
    }
  }

  it('one apply under 429/503/lost/slow replies: exit 0, no conflict or failed, desired state live', async () => {
    const clean = await applyRun({}, 'clean');
    assert.equal(clean.res.code, 0, `${clean.res.err}\n${clean.res.out.slice(0, 3000)}`);
    const faulted = await applyRun(MIX, 'mix');
    const bad = faulted.json ? badChanges(faulted.json) : [];
    const injected = Object.values(faulted.faults).reduce((a, b) => a + b, 0);
    const cleanRequests = totalRequests(clean.json);
    const faultRequests = faulted.json ? totalRequests(faulted.json) : NaN;
    console.log(
      `      fault mix (seed ${SEED}): ${TEAMS * NAMESPACE_COUNT} bindings × ${CLUSTERS.length} clusters; ` +
        `faults injected ${injected} ${JSON.stringify(faulted.faults)}\n` +
        `      runs to converge 1 (exit ${faulted.res.code}); conflict/failed ${bad.length}; ` +
        `requests ${faultRequests} vs ${cleanRequests} fault-free (${(faultRequests / cleanRequests).toFixed(2)}×); ` +
        `${(faulted.ms / 1000).toFixed(1)} s vs ${(clean.ms / 1000).toFixed(1)} s; load ${loadavg()[0]!.toFixed(1)}`,
    );
    assert.equal(faulted.res.code, 0, `exit ${faulted.res.code}: ${faulted.res.err}\n${bad.slice(0, 20).join('\n')}`);
    assert.deepEqual(bad, []);
    assert.ok(injected > 0.1 * faultRequests, `expected the mix to inject faults, got ${injected}`);
    const created = actionCounts(faulted.json).created ?? 0;
    assert.equal(created, CLUSTERS.length * (TEAMS * NAMESPACE_COUNT + 1), JSON.stringify(actionCounts(faulted.json)));
    const todo = Object.keys(actionCounts(faulted.plan)).filter((a) => a !== 'unchanged');
    assert.deepEqual(todo, [], 'a fault-free plan after the run finds nothing to do');
    for (const cluster of CLUSTERS) {
      for (const ns of namespaces) assert.equal((await ownedBindings(cluster, ns, faulted.instance)).size, TEAMS);
    }
    assert.ok(faultRequests < 2 * cleanRequests, `requests ${faultRequests} vs ${cleanRequests}: not bounded`);
  });
  it('one apply creating and pruning under all six faults (a 500 after the write, a reset before it)', async () => {
    const instance = unique('faults-six');
    instances.push(instance);
    const role = unique('fault-reader');
    const third = Math.round(TEAMS / 3);
    // Commit A fault-free; commit B drops the first third of A's teams (prunes) and adds as many (creates).
    const commit = (first: number) => bulkRepo({ instance, role, namespaces, teams: TEAMS, first, clusters: CLUSTERS });
    const repo = new TempRepo(commit(0));
    try {
      const first = await rosterWith(proxied.kubeconfig, repo, 'apply', '-o', 'json');
      assert.equal(first.code, 0, first.err);
      repo.write(commit(third));
      setRates(proxied, ALL_SIX);
      const before = Object.fromEntries(CLUSTERS.map((c) => [c, proxied.proxies[c]!.counts()]));
      const res = await rosterWith(proxied.kubeconfig, repo, 'apply', '-o', 'json', '--timeout', '3');
      setRates(proxied, {});
      const faults = injectedSince(before);
      const json = res.out ? (JSON.parse(res.out) as RunJson) : undefined;
      const bad = json ? badChanges(json) : [];
      const counts = actionCounts(json);
      const injected = Object.values(faults).reduce((a, b) => a + b, 0);
      console.log(
        `      all six faults (seed ${SEED}): ${third * NAMESPACE_COUNT} creates and as many prunes × ` +
          `${CLUSTERS.length} clusters; faults injected ${injected} ${JSON.stringify(faults)}\n` +
          `      runs to converge 1 (exit ${res.code}); conflict/failed ${bad.length}; ` +
          `requests ${json ? totalRequests(json) : NaN}; actions ${JSON.stringify(counts)}`,
      );
      assert.equal(res.code, 0, `exit ${res.code}: ${res.err}\n${bad.slice(0, 20).join('\n')}`);
      assert.deepEqual(bad, []);
      for (const fault of FAULTS) assert.ok(faults[fault]! > 0, `no ${fault} injected: ${JSON.stringify(faults)}`);
      assert.equal(counts.created, CLUSTERS.length * third * NAMESPACE_COUNT, JSON.stringify(counts));
      assert.equal(counts.pruned, CLUSTERS.length * third * NAMESPACE_COUNT, JSON.stringify(counts));
      const plan = JSON.parse((await rosterWith(proxied.kubeconfig, repo, 'plan', '-o', 'json')).out) as RunJson;
      const todo = Object.keys(actionCounts(plan)).filter((a) => a !== 'unchanged');
      assert.deepEqual(todo, [], 'a fault-free plan after the run finds nothing to do');
      const expected = new Set(
        Array.from({ length: TEAMS }, (_, i) =>
          bindingName({ kind: 'team', name: `t${String(i + third).padStart(4, '0')}` }, role),
        ),
      );
      for (const cluster of CLUSTERS)
        for (const ns of namespaces) assert.deepEqual(await ownedBindings(cluster, ns, instance), expected);
    } finally {
      repo.remove();
    }
  });
});

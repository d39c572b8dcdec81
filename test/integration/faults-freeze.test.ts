/**
 * One of three clusters frozen mid-apply: its kube-apiserver gets SIGSTOP while Roster is writing to it. The run
 * must exit 3 naming that cluster, the other two must converge in the same run, and once the frozen server gets
 * SIGCONT the next run must converge it too. A third cluster of its own is started for this test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startControlPlane, type ControlPlane } from '../harness/index.js';
import { ownedBindings, rosterWith } from './fault-support.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, podReader, RBAC, repoYaml, TempRepo, unique } from './reconcile-support.js';
import type { RunJson } from '../../src/report/changes-json.js';

const FROZEN = 'north';
const TEAMS = 60;

describe('fault suite: one of three clusters frozen (SIGSTOP) mid-apply', function () {
  this.timeout(600_000);
  let north: ControlPlane;
  const dir = mkdtempSync(join(tmpdir(), 'roster-freeze-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const instance = unique('freeze');
  const role = unique('freeze-reader');
  const namespace = unique('freeze');
  const repo = new TempRepo();

  before(async () => {
    north = await startControlPlane({ names: [FROZEN] });
    const cp = controlPlane();
    const entries = [
      ...cp.clusters.map((c) => ({ c, token: cp.users[0]!.token, user: 'admin' })),
      { c: north.clusters[0]!, token: north.users[0]!.token, user: 'admin-north' },
    ];
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: entries.map((e) => ({
          name: e.c.name,
          cluster: { server: e.c.server, 'certificate-authority-data': e.c.caData },
        })),
        users: [...new Set(entries.map((e) => e.user))].map((name) => ({
          name,
          user: { token: entries.find((e) => e.user === name)!.token },
        })),
        contexts: entries.map((e) => ({ name: e.c.name, context: { cluster: e.c.name, user: e.user } })),
      }),
      { mode: 0o600 },
    );
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
    for (const c of cp.clusters) assert.equal((await cp.request(c.name, 'POST', '/api/v1/namespaces', ns)).status, 201);
    assert.equal((await north.request(FROZEN, 'POST', '/api/v1/namespaces', ns)).status, 201);
    repo.write(
      repoYaml({
        instance,
        clusters: [{ name: 'east' }, { name: 'west' }, { name: FROZEN }],
        roles: [podReader(role)],
        teams: Array.from({ length: TEAMS }, (_, i) => ({
          name: `t${i}`,
          users: [`u${i}@example.com`],
          grants: [{ role, namespaces: [namespace] }],
        })),
      }),
    );
  });

  after(async () => {
    await north
      ?.cluster(FROZEN)
      .thawApiserver()
      .catch(() => {});
    await north?.stop();
    await cleanUp(instance, [namespace]);
    repo.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  async function northBindings(): Promise<number> {
    const selector = encodeURIComponent(`roster.dev/instance=${instance}`);
    const res = await north.request(
      FROZEN,
      'GET',
      `${RBAC}/namespaces/${namespace}/rolebindings?labelSelector=${selector}`,
    );
    return (res.body as { items: unknown[] }).items.length;
  }

  it('exits 3 naming the frozen cluster, converges the others, and converges it after SIGCONT', async () => {
    const started = Date.now();
    const running = rosterWith(kubeconfig, repo, 'apply', '-o', 'json', '--timeout', '3');
    // Freeze once Roster has begun writing to the cluster.
    let before: number;
    while ((before = await northBindings()) === 0 && Date.now() - started < 60_000)
      await new Promise((r) => setTimeout(r, 20));
    await north.cluster(FROZEN).freezeApiserver();
    const frozenAt = Date.now() - started;
    let res;
    try {
      res = await running;
    } finally {
      await north.cluster(FROZEN).thawApiserver();
    }
    const json = JSON.parse(res.out) as RunJson;
    const status = Object.fromEntries(json.clusters.map((c) => [c.name, c.status]));
    const after = await northBindings();
    console.log(
      `      freeze: ${FROZEN} frozen ${frozenAt} ms into the run with ${before} of ${TEAMS} bindings written; ` +
        `run ended after ${Date.now() - started} ms, exit ${res.code}, ${JSON.stringify(status)}; ` +
        `${after} written when thawed`,
    );
    assert.equal(res.code, 3, res.err);
    assert.equal(status[FROZEN], 'failed');
    const frozen = json.clusters.find((c) => c.name === FROZEN);
    assert.match(frozen?.error ?? '', /cannot reach .*no answer within 3000 ms/);
    for (const name of ['east', 'west']) {
      assert.notEqual(status[name], 'failed', `${name} must converge in the same run`);
      assert.equal((await ownedBindings(name, namespace, instance)).size, TEAMS, `${name} converged`);
    }
    const again = await rosterWith(kubeconfig, repo, 'apply', '-o', 'json');
    assert.equal(again.code, 0, again.err);
    assert.equal(await northBindings(), TEAMS, 'the thawed cluster converged');
    const bad = (JSON.parse(again.out) as RunJson).clusters.flatMap((c) =>
      c.changes.filter((ch) => ch.action === 'failed' || ch.action === 'conflict'),
    );
    assert.deepEqual(bad, []);
  });
});

/**
 * `roster serve` as a process against the real control plane: it reconciles a Git repository on start, makes a
 * grant's expiry take effect on time without a new commit, picks up a new commit on a signed webhook, exposes
 * what it did on /metrics, /healthz and /readyz, corrects hand-made drift on its interval (only reporting it in
 * --detect-only), and exits 0 on SIGTERM.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { githubSignature } from '../../src/serve/webhook.js';
import { TestRepo } from '../support/git/repo.js';
import { sample } from '../support/scrape.js';
import { ServeProcess } from '../support/serve-process.js';
import { controlPlane } from './fixtures.js';

const suffix = randomBytes(3).toString('hex');
const instance = `serve-${suffix}`;
const role = `pod-reader-${suffix}`;
const [ns1, ns2, ns3] = ['a', 'b', 'c'].map((n) => `serve-${suffix}-${n}`) as [string, string, string];
const HOOK_SECRET = `hook-${randomBytes(12).toString('hex')}`;
const bindingPath = (ns: string) =>
  `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/roster:team:${instance}:${role}`;

/** maxPercent 100: with three objects, one expiry is a third of them, which the default 30 % guard would refuse. */
function config(grants: Array<{ ns: string; expires?: string }>): Record<string, string> {
  const grantYaml = grants
    .map((g) => `    - role: ${role}\n      namespaces: [${g.ns}]${g.expires ? `\n      expires: ${g.expires}` : ''}`)
    .join('\n');
  return {
    'roster.yaml':
      `apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec:\n` +
      `  instance: ${instance}\n  prune: {enabled: true, maxPercent: 100}\n`,
    'clusters/east.yaml':
      'apiVersion: roster/v1\nkind: Cluster\nmetadata:\n  name: east\n  labels: {env: test}\nspec:\n  context: east\n',
    [`roles/${role}.yaml`]:
      `apiVersion: roster/v1\nkind: Role\nmetadata: {name: ${role}}\nspec:\n` +
      `  scope: namespace\n  rules:\n    - apiGroups: [""]\n      resources: [pods]\n      verbs: [get, list]\n`,
    'teams/team.yaml':
      `apiVersion: roster/v1\nkind: Team\nmetadata: {name: ${instance}}\nspec:\n  members:\n` +
      `    users: [alice@example.com]\n  grants:\n${grantYaml}\n`,
  };
}

async function aliceCanList(ns: string, expected: boolean, timeoutMs = 20_000): Promise<void> {
  const cp = controlPlane();
  await cp.waitForAccess({
    cluster: 'east',
    user: 'alice',
    verb: 'list',
    resource: 'pods',
    namespace: ns,
    expected,
    timeoutMs,
  });
  const res = await cp.request('east', 'GET', `/api/v1/namespaces/${ns}/pods`, undefined, { as: 'alice' });
  assert.equal(res.status, expected ? 200 : 403, `alice listing pods in ${ns}`);
}

describe('roster serve against a real cluster', function () {
  let repo: TestRepo;
  let serve: ServeProcess | undefined;
  const started: ServeProcess[] = [];
  const start = (args: string[], env: NodeJS.ProcessEnv = {}): ServeProcess => {
    const p = new ServeProcess(['--repo', repo.dir, '--kubeconfig', controlPlane().kubeconfigPath, ...args], env);
    started.push(p);
    return p;
  };

  before(async function () {
    const cp = controlPlane();
    for (const ns of [ns1, ns2, ns3]) {
      const res = await cp.request('east', 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      });
      assert.equal(res.status, 201);
    }
    repo = await TestRepo.create('roster-serve-');
  });

  after(async function () {
    await Promise.all(started.map((p) => p.kill()));
    await repo?.remove();
    const cp = controlPlane();
    await cp.request('east', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:${role}`);
    for (const ns of [ns1, ns2, ns3]) await cp.request('east', 'DELETE', `/api/v1/namespaces/${ns}`);
  });

  it('reconciles the commit at start and shows it on /metrics, /healthz and /readyz', async function () {
    const expires = new Date(Date.now() + 15_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const commit = await repo.commit(config([{ ns: ns1 }, { ns: ns2, expires }]), { message: 'grant pod-reader' });
    serve = start(['--interval', '1h', '--webhook-secret-env', 'ROSTER_TEST_HOOK'], { ROSTER_TEST_HOOK: HOOK_SECRET });
    await serve.started();
    await serve.until(
      'the first sync',
      async () =>
        sample(await serve!.metrics(), 'roster_last_successful_sync_timestamp_seconds{cluster="east"}') !== undefined,
    );
    const metrics = await serve.metrics();
    assert.equal(
      sample(metrics, 'roster_objects_total{cluster="east",action="created"}'),
      3,
      'one ClusterRole, two RoleBindings',
    );
    assert.equal(sample(metrics, 'roster_drift_objects{cluster="east"}'), 3);
    assert.equal(sample(metrics, 'roster_reconcile_errors_total{cluster="east"}'), 0);
    assert.equal(sample(metrics, 'roster_reconcile_duration_seconds_count{cluster="east"}'), 1);
    assert.equal(sample(metrics, `roster_applied_commit_info{commit="${commit}"}`), 1);
    assert.equal(sample(metrics, 'roster_leader'), 1);
    const lastSync = sample(metrics, 'roster_last_successful_sync_timestamp_seconds{cluster="east"}')!;
    assert.ok(Math.abs(lastSync - Date.now() / 1000) < 60, `last sync ${lastSync} is about now`);
    assert.deepEqual(await serve.get('/healthz'), { status: 200, text: 'ok\n' });
    assert.deepEqual(await serve.get('/readyz'), { status: 200, text: 'ready: leader (no leader election)\n' });
    await aliceCanList(ns1, true);
    await aliceCanList(ns2, true);
  });

  it('takes a grant away when it expires, with no new commit and a one-hour interval', async function () {
    await aliceCanList(ns2, false, 60_000);
    assert.equal(
      (await controlPlane().request('east', 'GET', bindingPath(ns2))).status,
      404,
      'the expired binding was pruned',
    );
    assert.ok(
      serve!.logs.some((l) => l.msg === 'next run at a grant or token boundary'),
      'the run was scheduled at the expiry',
    );
    await aliceCanList(ns1, true);
  });

  it('fetches at once on a signed webhook and applies the new commit; refuses a bad signature', async function () {
    const commit = await repo.commit(config([{ ns: ns1 }, { ns: ns3 }]), { message: 'grant pod-reader in c' });
    const body = JSON.stringify({ ref: 'refs/heads/main', after: commit });
    const post = (signature: string) =>
      fetch(`http://127.0.0.1:${serve!.port}/webhook`, {
        method: 'POST',
        body,
        headers: { 'X-Hub-Signature-256': signature, 'Content-Type': 'application/json' },
      });
    assert.equal((await post(githubSignature(body, 'not-the-secret'))).status, 401);
    assert.equal((await post(githubSignature(body, HOOK_SECRET))).status, 202);
    await aliceCanList(ns3, true);
    await serve!.until(
      'the new commit on /metrics',
      async () => sample(await serve!.metrics(), `roster_applied_commit_info{commit="${commit}"}`) === 1,
    );
    assert.ok(!serve!.output.includes(HOOK_SECRET), 'the webhook secret never reaches the logs');
  });

  it('exits 0 on SIGTERM after closing its server', async function () {
    serve!.signal('SIGTERM');
    const { code } = await serve!.exit;
    assert.equal(code, 0, serve!.output.slice(-2000));
    assert.ok(serve!.logs.some((l) => l.msg === 'stopped'));
    await assert.rejects(fetch(`http://127.0.0.1:${serve!.port}/healthz`));
  });

  it('reports a hand-made edit in --detect-only without writing, else corrects it on the interval', async function () {
    const cp = controlPlane();
    const edited = await cp.request('east', 'PATCH', bindingPath(ns1), {
      subjects: [{ kind: 'User', name: 'mallory@example.com', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    assert.equal(edited.status, 200);
    const detect = start(['--interval', '2s', '--detect-only']);
    await detect.started();
    await detect.until(
      'drift on /metrics',
      async () => (sample(await detect.metrics(), 'roster_drift_objects{cluster="east"}') ?? 0) >= 1,
    );
    await aliceCanList(ns1, false);
    detect.signal('SIGTERM');
    assert.equal((await detect.exit).code, 0);

    const fix = start(['--interval', '2s']);
    await fix.started();
    await aliceCanList(ns1, true);
    await fix.until(
      'a clean run after the fix',
      async () => sample(await fix.metrics(), 'roster_drift_objects{cluster="east"}') === 0,
    );
    fix.signal('SIGTERM');
    assert.equal((await fix.exit).code, 0);
  });
});

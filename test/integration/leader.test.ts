/**
 * Two `roster serve --leader-elect` processes on the same config, with the Lease in the real `east` cluster:
 * exactly one is leader and only it reconciles; killing it (no chance to hand the Lease back) lets the other
 * take over within the lease duration; a SIGTERM hands the Lease back so a new replica takes over at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { githubSignature } from '../../src/serve/webhook.js';
import { TestRepo } from '../support/git/repo.js';
import { sample } from '../support/scrape.js';
import { ServeProcess } from '../support/serve-process.js';
import { controlPlane } from './fixtures.js';

const suffix = randomBytes(3).toString('hex');
const instance = `leader-${suffix}`;
const leaseNamespace = `leader-${suffix}`;
const leaseName = `roster-${suffix}`;
const role = `leader-reader-${suffix}`;

const HOOK_SECRET = `hook-${randomBytes(12).toString('hex')}`;

const files = (users: string[]) => ({
  'roster.yaml': `apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec:\n  instance: ${instance}\n`,
  'clusters/east.yaml': 'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: east}\nspec:\n  context: east\n',
  [`roles/${role}.yaml`]:
    `apiVersion: roster/v1\nkind: Role\nmetadata: {name: ${role}}\nspec:\n` +
    `  scope: namespace\n  rules:\n    - apiGroups: [""]\n      resources: [pods]\n      verbs: [get]\n`,
  'teams/team.yaml':
    `apiVersion: roster/v1\nkind: Team\nmetadata: {name: ${instance}}\nspec:\n  members:\n` +
    `    users: [${users.join(', ')}]\n  grants:\n    - role: ${role}\n      namespaces: [${leaseNamespace}]\n`,
});

/** Reconcile runs the replica has done, from its own metrics (0 on a replica that never reconciled). */
async function reconciles(p: ServeProcess): Promise<number> {
  return sample(await p.metrics(), 'roster_reconcile_duration_seconds_count{cluster="east"}') ?? 0;
}

async function isLeader(p: ServeProcess): Promise<boolean> {
  return sample(await p.metrics(), 'roster_leader') === 1;
}

async function leaseHolder(): Promise<string | undefined> {
  const res = await controlPlane().request(
    'east',
    'GET',
    `/apis/coordination.k8s.io/v1/namespaces/${leaseNamespace}/leases/${leaseName}`,
  );
  return res.status === 200 ? (res.body as { spec?: { holderIdentity?: string } }).spec?.holderIdentity : undefined;
}

describe('leader election between two roster serve processes', function () {
  let repo: TestRepo;
  const replicas: ServeProcess[] = [];
  const replica = (): ServeProcess => {
    // A one-hour interval: every run the test sees comes from start, leadership or a webhook.
    const args = [
      '--repo',
      repo.dir,
      '--kubeconfig',
      controlPlane().kubeconfigPath,
      '--interval',
      '1h',
      '--webhook-secret-env',
      'HOOK',
    ];
    const election = [
      '--leader-elect',
      '--lease-cluster',
      'east',
      '--lease-namespace',
      leaseNamespace,
      '--lease-name',
      leaseName,
    ];
    const p = new ServeProcess([...args, ...election], { HOOK: HOOK_SECRET });
    replicas.push(p);
    return p;
  };

  before(async function () {
    const res = await controlPlane().request('east', 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: leaseNamespace },
    });
    assert.equal(res.status, 201);
    repo = await TestRepo.create('roster-leader-');
    await repo.commit(files(['bob@example.com']), { message: 'one team' });
  });

  after(async function () {
    await Promise.all(replicas.map((p) => p.kill()));
    await repo?.remove();
    await controlPlane().request('east', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:${role}`);
    await controlPlane().request('east', 'DELETE', `/api/v1/namespaces/${leaseNamespace}`);
  });

  let a: ServeProcess;
  let b: ServeProcess;
  /** The replica leading after the hand-over. */
  let survivor: ServeProcess;

  it('elects exactly one leader, and only the leader reconciles', async function () {
    a = replica();
    b = replica();
    await Promise.all([a.started(), b.started()]);
    await a.until('one leader that has reconciled', async () => (await reconciles(a)) + (await reconciles(b)) >= 1);
    await a.until(
      'both replicas to know their role',
      async () => (await a.get('/readyz')).status === 200 && (await b.get('/readyz')).status === 200,
    );
    const [aLeads, bLeads] = [await isLeader(a), await isLeader(b)];
    assert.notEqual(aLeads, bLeads, `exactly one leader (a: ${aLeads}, b: ${bLeads})`);
    const [leader, standby] = aLeads ? [a, b] : [b, a];
    assert.equal(await reconciles(standby), 0, 'the standby never reconciled');
    assert.equal(await leaseHolder(), leader.identity, 'the Lease names the leader');
    assert.match((await standby.get('/readyz')).text, /^ready: standby/);
    assert.match((await leader.get('/readyz')).text, /^ready: leader/);
    await controlPlane().waitForAccess({
      cluster: 'east',
      user: 'bob',
      verb: 'get',
      resource: 'pods',
      namespace: leaseNamespace,
      expected: true,
    });
  });

  it('passes a webhook that reached the standby on to the leader, which applies the new commit', async function () {
    const [leader, standby] = (await isLeader(a)) ? [a, b] : [b, a];
    const before = await reconciles(leader);
    await repo.commit(files(['bob@example.com', 'carol@example.com']), { message: 'carol joins' });
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    const res = await fetch(`http://127.0.0.1:${standby.port}/webhook`, {
      method: 'POST',
      body,
      headers: { 'X-Hub-Signature-256': githubSignature(body, HOOK_SECRET) },
    });
    assert.equal(res.status, 202);
    await controlPlane()
      .waitForAccess({
        cluster: 'east',
        user: 'carol',
        verb: 'get',
        resource: 'pods',
        namespace: leaseNamespace,
        expected: true,
        timeoutMs: 15_000,
      })
      .catch((err: Error) => {
        throw new Error(
          `${err.message}\nleader:\n${leader.output.slice(-3000)}\nstandby:\n${standby.output.slice(-3000)}`,
        );
      });
    assert.ok((await reconciles(leader)) > before, 'the leader reconciled');
    assert.equal(await reconciles(standby), 0, 'the standby still never reconciled');
  });

  it('hands over to the standby within the lease duration when the leader is killed', async function () {
    const [leader, standby] = (await isLeader(a)) ? [a, b] : [b, a];
    const killedAt = Date.now();
    leader.signal('SIGKILL');
    await leader.exit;
    await standby.until('the standby to lead', () => isLeader(standby), 25_000);
    const tookOver = Date.now() - killedAt;
    // The standby counts the 15 s from when it saw the last renew (up to one 2 s retry after it happened, so clock
    // skew between nodes never matters), then takes the Lease at its next retry.
    assert.ok(
      tookOver <= 15_000 + 2 * 2_000 + 1_000,
      `took over after ${tookOver} ms (lease 15 s + at most two 2 s retries)`,
    );
    // It never reconciled as standby (checked above): any reconcile now is its first as leader.
    await standby.until('the new leader to reconcile', async () => (await reconciles(standby)) > 0, 10_000);
    assert.equal(await leaseHolder(), standby.identity);
    survivor = standby;
  });

  it('hands the Lease back on SIGTERM, so a new replica leads within seconds', async function () {
    const leader = survivor;
    const next = replica();
    await next.started();
    await next.until('the new replica to see the Lease held', async () =>
      (await next.get('/readyz')).text.startsWith('ready: standby'),
    );
    const stoppedAt = Date.now();
    leader.signal('SIGTERM');
    assert.equal((await leader.exit).code, 0);
    assert.ok(leader.logs.some((l) => l.msg === 'leader election: lease released'));
    await next.until('the new replica to lead', () => isLeader(next), 10_000);
    assert.ok(
      Date.now() - stoppedAt < 8_000,
      `a released Lease is taken at the next retry, not after 15 s (${Date.now() - stoppedAt} ms)`,
    );
    next.signal('SIGTERM');
    assert.equal((await next.exit).code, 0);
  });
});

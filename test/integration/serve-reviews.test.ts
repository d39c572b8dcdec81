/**
 * `roster serve` with Settings `review: {every: 90d, onOverdue: suspend}` on the real control plane: a team never
 * reviewed is counted as overdue and suspended on /metrics and its RoleBinding is not on the cluster; after
 * `roster review attest` (a commit by the reviewer) and a signed webhook, /metrics counts it as reviewed and the
 * binding exists.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { githubSignature } from '../../src/serve/webhook.js';
import { TestRepo } from '../support/git/repo.js';
import { sample, series } from '../support/scrape.js';
import { ServeProcess } from '../support/serve-process.js';
import { controlPlane } from './fixtures.js';
import { RBAC, cleanUp, createNamespace, podReader, unique } from './reconcile-support.js';

describe('roster serve: overdue access reviews on /metrics, on a real cluster', function () {
  const instance = unique('serve-review');
  const ns = unique('serve-review');
  const role = unique('serve-review-reader');
  const HOOK_SECRET = `hook-${randomBytes(12).toString('hex')}`;
  const binding = (team: string) => `roster:team:${team}:${role}`;
  let repo: TestRepo;
  let serve: ServeProcess | undefined;

  const doc = (kind: string, name: string, spec: unknown): string =>
    stringify({ apiVersion: 'roster/v1', kind, metadata: { name }, spec });
  const files: Record<string, string> = {
    'roster.yaml': [
      doc('Settings', 'roster', {
        instance,
        prune: { enabled: true, maxPercent: 100 },
        review: { every: '90d', onOverdue: 'suspend' },
      }),
      doc('Cluster', 'east', { context: 'east' }),
      doc('Role', role, { scope: 'namespace', rules: podReader(role).rules }),
    ].join('---\n'),
    // Never reviewed: overdue from the start, so suspended.
    'teams/payments.yaml': doc('Team', 'payments', {
      members: { users: ['alice@example.com'] },
      grants: [{ role, namespaces: [ns] }],
    }),
    'teams/ops.yaml': doc('Team', 'ops', {
      members: { users: ['bob@example.com'] },
      grants: [{ role, namespaces: [ns] }],
      reviewed: { at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), by: 'Rita Reviewer <rita@example.com>' },
    }),
  };

  /** The names of the RoleBindings this instance has in the namespace, from a real LIST. */
  async function bindingsOnCluster(): Promise<string[]> {
    const selector = encodeURIComponent(`roster.dev/instance=${instance}`);
    const res = await controlPlane().request(
      'east',
      'GET',
      `${RBAC}/namespaces/${ns}/rolebindings?labelSelector=${selector}`,
    );
    assert.equal(res.status, 200);
    return (res.body as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort();
  }

  const reviews = async (): Promise<Record<string, number>> => series(await serve!.metrics(), 'roster_reviews');

  before(async function () {
    await createNamespace('east', ns);
    repo = await TestRepo.create('roster-it-serve-review-');
    await repo.commit(files, { message: 'Payments and ops; overdue reviews suspend' });
  });

  after(async function () {
    await serve?.kill();
    await repo?.remove();
    await cleanUp(instance, [ns]);
  });

  it('counts the never-reviewed team as overdue and suspended; its binding is not on the cluster', async function () {
    serve = new ServeProcess(
      [
        '--repo',
        repo.dir,
        '--kubeconfig',
        controlPlane().kubeconfigPath,
        '--interval',
        '1h',
        '--webhook-secret-env',
        'ROSTER_TEST_HOOK',
      ],
      { ROSTER_TEST_HOOK: HOOK_SECRET },
    );
    await serve.started();
    await serve.until(
      'the first sync',
      async () =>
        sample(await serve!.metrics(), 'roster_last_successful_sync_timestamp_seconds{cluster="east"}') !== undefined,
    );
    const counts = await reviews();
    assert.equal(counts['roster_reviews{kind="team",state="overdue",suspended="true"}'], 1, 'payments');
    assert.equal(counts['roster_reviews{kind="team",state="overdue",suspended="false"}'], 0);
    assert.equal(counts['roster_reviews{kind="team",state="ok",suspended="false"}'], 1, 'ops');
    assert.equal(counts['roster_reviews{kind="team",state="due-soon",suspended="false"}'], 0);
    assert.equal(counts['roster_reviews{kind="token",state="overdue",suspended="true"}'], 0);

    assert.deepEqual(await bindingsOnCluster(), [binding('ops')]);
    const payments = await controlPlane().request(
      'east',
      'GET',
      `${RBAC}/namespaces/${ns}/rolebindings/${binding('payments')}`,
    );
    assert.equal(payments.status, 404, 'the suspended team has no RoleBinding');
    const denied = await controlPlane().request('east', 'GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
      as: 'alice',
    });
    assert.equal(denied.status, 403, 'alice (payments) is denied');

    const warning = serve.logs.find((l) => l.msg.startsWith('access reviews overdue'));
    assert.deepEqual(warning?.suspended, ['team payments'], 'serve logs the suspended team as a warning');
    assert.equal(warning?.level, 'warn');
  });

  it('after review attest and a webhook, counts the team as reviewed and its binding is back', async function () {
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
    const code = await run(
      ['review', 'attest', 'payments', '--reviewer', 'Rita Reviewer <rita@example.com>', '--repo', repo.dir],
      io,
    );
    assert.equal(code, 0, `${out}\n${err}`);
    const commit = await repo.head();

    const body = JSON.stringify({ ref: 'refs/heads/main', after: commit });
    const hook = await fetch(`http://127.0.0.1:${serve!.port}/webhook`, {
      method: 'POST',
      body,
      headers: { 'X-Hub-Signature-256': githubSignature(body, HOOK_SECRET), 'Content-Type': 'application/json' },
    });
    assert.equal(hook.status, 202);
    await serve!.until(
      'the attest commit on /metrics',
      async () => sample(await serve!.metrics(), `roster_applied_commit_info{commit="${commit}"}`) === 1,
    );

    const counts = await reviews();
    assert.equal(counts['roster_reviews{kind="team",state="ok",suspended="false"}'], 2, 'payments and ops');
    assert.equal(counts['roster_reviews{kind="team",state="overdue",suspended="true"}'], 0);
    assert.equal(counts['roster_reviews{kind="team",state="overdue",suspended="false"}'], 0);

    assert.deepEqual(await bindingsOnCluster(), [binding('ops'), binding('payments')].sort());
    const payments = await controlPlane().request(
      'east',
      'GET',
      `${RBAC}/namespaces/${ns}/rolebindings/${binding('payments')}`,
    );
    assert.equal(payments.status, 200);
    await controlPlane().waitForAccess({
      cluster: 'east',
      user: 'alice',
      verb: 'list',
      resource: 'pods',
      namespace: ns,
      expected: true,
    });
    const allowed = await controlPlane().request('east', 'GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
      as: 'alice',
    });
    assert.equal(allowed.status, 200, 'alice (payments) may list pods again');

    serve!.signal('SIGTERM');
    assert.equal((await serve!.exit).code, 0);
  });
});

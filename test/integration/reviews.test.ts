/**
 * Access reviews with `onOverdue: suspend` on the real control plane: an overdue team is listed by `roster review
 * --due`, loses its access on apply (a real request is denied), and regains it after `roster review attest`
 * (a commit by the reviewer) and the next apply.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import git from 'isomorphic-git';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { TestRepo } from '../support/git/repo.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, createNamespace, podReader, unique } from './reconcile-support.js';

describe('access reviews: onOverdue suspend, on a real cluster', function () {
  const instance = unique('it-review');
  const ns = unique('review');
  const role = unique('review-pod-reader');
  let repo: TestRepo;

  const doc = (kind: string, name: string, spec: unknown): string =>
    stringify({ apiVersion: 'roster/v1', kind, metadata: { name }, spec });
  const files = (onOverdue: 'warn' | 'suspend'): Record<string, string> => ({
    'roster.yaml': [
      doc('Settings', 'roster', {
        instance,
        prune: { enabled: true, maxPercent: 100 },
        review: { every: '90d', onOverdue },
      }),
      doc('Cluster', 'east', { context: 'east' }),
      doc('Role', role, { scope: 'namespace', rules: podReader(role).rules }),
    ].join('---\n'),
    // A comment and flow style the attest edit must keep.
    'teams/payments.yaml':
      '# Payments engineering\n' +
      doc('Team', 'payments', {
        members: { users: ['alice@example.com'] },
        grants: [{ role, namespaces: [ns] }],
        reviewed: { at: '2025-01-01T00:00:00Z', by: 'Old Reviewer <old@example.com>' },
      }),
    'teams/ops.yaml': doc('Team', 'ops', {
      members: { users: ['bob@example.com'] },
      grants: [{ role, namespaces: [ns] }],
      reviewed: { at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), by: 'Rita Reviewer <rita@example.com>' },
    }),
  });

  async function roster(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
    const code = await run([...args, '--repo', repo.dir], io);
    return { code, out, err };
  }

  async function apply(): Promise<void> {
    const res = await roster('apply', '--cluster', 'east', '--kubeconfig', controlPlane().kubeconfigPath);
    assert.equal(res.code, 0, `roster apply failed:\n${res.out}\n${res.err}`);
  }

  const access = (user: string, expected: boolean) =>
    controlPlane().waitForAccess({ cluster: 'east', user, verb: 'list', resource: 'pods', namespace: ns, expected });

  before(async function () {
    await createNamespace('east', ns);
    repo = await TestRepo.create('roster-it-review-');
    await repo.commit(files('warn'), { message: 'Payments and ops teams; reviews every 90 days, overdue warns' });
  });

  after(async function () {
    await fs.promises.rm(repo.dir, { recursive: true, force: true });
    await cleanUp(instance, [ns]);
  });

  it('lists the overdue team per owner and exits 1; with onOverdue: warn its access stays', async function () {
    const res = await roster('review', '--due');
    assert.equal(res.code, 1, res.err);
    assert.match(res.out, /owner payments:\n {2}✗ team payments +overdue since 2025-04-01T00:00:00Z/);
    assert.doesNotMatch(res.out, /SUSPENDED/);
    assert.doesNotMatch(res.out, /team ops/, 'ops was reviewed today');
    await apply();
    await access('alice', true);
  });

  it('suspends the overdue team on apply: its member is denied, the reviewed team keeps access', async function () {
    await repo.commit(files('suspend'), { message: 'Overdue reviews suspend access' });
    assert.match((await roster('review', '--due')).out, /SUSPENDED until reviewed/);
    const plan = await roster('plan', '--cluster', 'east', '--kubeconfig', controlPlane().kubeconfigPath);
    assert.equal(plan.code, 1, plan.err);
    assert.match(plan.out, /summary: 1 cluster: 1 pruned/);
    assert.match(plan.out, /✗ team payments +overdue since 2025-04-01T00:00:00Z .*SUSPENDED until reviewed/);
    const json = await roster('plan', '--cluster', 'east', '--kubeconfig', controlPlane().kubeconfigPath, '-o', 'json');
    type Review = { kind: string; name: string; state: string; suspended: boolean; due?: string };
    const payments = (JSON.parse(json.out) as { reviews?: Review[] }).reviews?.find((r) => r.name === 'payments');
    assert.deepEqual(
      payments && { state: payments.state, suspended: payments.suspended, due: payments.due },
      { state: 'overdue', suspended: true, due: '2025-04-01T00:00:00Z' },
      'plan -o json lists the overdue review the text shows',
    );
    const md = await roster(
      'plan',
      '--cluster',
      'east',
      '--kubeconfig',
      controlPlane().kubeconfigPath,
      '-o',
      'markdown',
    );
    const row = md.out.split('\n').find((l) => l.startsWith('| `✗` | team `payments` |'));
    assert.match(
      md.out,
      /#### Access reviews \(1 pending\)/,
      'plan -o markdown (the pull-request comment) has reviews',
    );
    assert.match(row ?? '', /\| overdue \| 2025-04-01T00:00:00Z .*\| \*\*suspended until reviewed\*\* \|$/);
    await apply();
    await access('bob', true);
    await access('alice', false);
    const denied = await controlPlane().request('east', 'GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
      as: 'alice',
    });
    assert.equal(denied.status, 403);
    const validate = await roster('validate');
    assert.match(
      validate.err,
      /teams\/payments\.yaml:\d+:\d+ warning: spec\.reviewed\.at: access review overdue since/,
    );
    assert.match(validate.err, /its grants are suspended/);
  });

  it('restores access after review attest (a commit by the reviewer) and apply', async function () {
    const attest = await roster('review', 'attest', 'payments', '--reviewer', 'Rita Reviewer <rita@example.com>');
    assert.equal(attest.code, 0, attest.err);
    assert.match(attest.out, /team payments: review recorded in teams\/payments\.yaml/);

    const [head] = await git.log({ fs, dir: repo.dir, depth: 1 });
    assert.equal(head!.commit.author.email, 'rita@example.com');
    assert.match(head!.commit.message, /\n\nRoster-Reviewed-by: Rita Reviewer <rita@example.com>\n$/);
    const file = fs.readFileSync(`${repo.dir}/teams/payments.yaml`, 'utf8');
    assert.ok(file.startsWith('# Payments engineering\n'), 'the comment is kept');
    assert.match(file, /by: Rita Reviewer <rita@example.com>/);

    assert.equal((await roster('review', '--due')).code, 0);
    await apply();
    await access('alice', true);
    const allowed = await controlPlane().request('east', 'GET', `/api/v1/namespaces/${ns}/pods`, undefined, {
      as: 'alice',
    });
    assert.equal(allowed.status, 200);
  });
});

/**
 * A Suspension as a person sees it from every offline command: `validate`, `plan --offline` (text, JSON), `access`,
 * `can-i`, `diff` and `report --html` all say who is suspended, by which Suspension and why; a commit that lifts it
 * is told apart too. (Live plan and apply, and the effect on a real cluster: test/integration/credentials.test.ts.)
 */
import assert from 'node:assert/strict';
import { roster } from '../../support/cli.js';
import { TestRepo } from '../../support/git/repo.js';
import { baseClusters, team } from '../../support/git/config.js';

const SUSPENSION =
  'apiVersion: roster/v1\nkind: Suspension\nmetadata: {name: alice-leave}\nspec:\n  reason: on leave, HR-7\n' +
  '  subjects:\n    users: [alice@example.com]\n';

describe('cli: a Suspension in every offline view', function () {
  this.timeout(20_000);
  let repo: TestRepo;
  const saved = process.env.ROSTER_NOW;
  const says = /User alice@example\.com: suspended by Suspension alice-leave: on leave, HR-7/;

  before(async () => {
    process.env.ROSTER_NOW = '2026-12-01T00:00:00Z';
    repo = await TestRepo.create();
    await repo.commit(
      {
        ...baseClusters(),
        'teams/payments.yaml': team('payments', {
          users: ['alice@example.com', 'bob@example.com'],
          grants: [{ role: 'viewer', namespaces: ['payments'] }],
        }),
      },
      { message: 'base' },
    );
    await repo.commit({ 'suspensions/alice.yaml': SUSPENSION }, { message: 'suspend alice' });
    await repo.commit({ 'suspensions/alice.yaml': null }, { message: 'lift' });
  });
  after(async () => {
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
    await repo.remove();
  });
  const at = (ref: string, ...args: string[]) => roster([...args, '--repo', repo.dir, '--ref', ref]);

  it('validate lists the suspension in force', async () => {
    const res = await at('HEAD~1', 'validate');
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout + res.stderr,
      /suspended: User alice@example\.com \(Suspension alice-leave: on leave, HR-7\)/,
    );
    assert.doesNotMatch((await at('HEAD', 'validate')).stdout, /suspended:/);
  });

  it('plan --offline ends with a Suspended section, and its JSON lists the same subject', async () => {
    const text = await at('HEAD~1', 'plan', '--offline');
    assert.match(text.stdout, /Suspended \(1\), left out of every binding on every cluster:\n/);
    assert.match(text.stdout, says);
    const access = text.stdout.slice(text.stdout.indexOf('\naccess\n'), text.stdout.indexOf('Suspended ('));
    assert.match(access, /\[User\] bob@example\.com/);
    assert.doesNotMatch(access, /\[User\] alice@example\.com/, 'alice holds nothing while suspended');
    const json = JSON.parse((await at('HEAD~1', 'plan', '--offline', '-o', 'json')).stdout) as {
      suspended: { kind: string; name: string; suspension: string }[];
    };
    assert.deepEqual(
      json.suspended.map((s) => `${s.kind} ${s.name} ${s.suspension}`),
      ['User alice@example.com alice-leave'],
    );
  });

  it('access and can-i add a note about the suspended identity; can-i says no', async () => {
    const access = await at('HEAD~1', 'access', '--user', 'alice@example.com', '--no-rules');
    assert.match(access.stdout + access.stderr, /note: User alice@example\.com is suspended by Suspension alice-leave/);
    const canI = await at('HEAD~1', 'can-i', 'get', 'pods', '-n', 'payments', '--as', 'alice@example.com');
    assert.equal(canI.code, 1);
    assert.match(canI.stdout, /no/);
    assert.match(canI.stderr, /suspended by Suspension alice-leave/);
    const bob = await at('HEAD~1', 'can-i', 'get', 'pods', '-n', 'payments', '--as', 'bob@example.com');
    assert.equal(bob.code, 0, 'the rest of the team keeps its access');
  });

  it('diff says a suspension was added, and that lifting it gives the access back', async () => {
    const added = await roster(['diff', 'HEAD~2..HEAD~1', '--repo', repo.dir]);
    assert.equal(added.code, 1);
    assert.match(added.stdout, /Suspension alice-leave suspends User alice@example\.com: on leave, HR-7/);
    const lifted = await roster(['diff', 'HEAD~1..HEAD', '--repo', repo.dir]);
    assert.match(lifted.stdout, /Suspension alice-leave lifted: User alice@example\.com get their access back/);
  });

  it('the HTML report has a Suspended section above the matrix', async () => {
    const res = await at('HEAD~1', 'report', '--html', '-');
    const section = /<section id="suspensions">(.*?)<\/section>/s.exec(res.stdout)?.[1] ?? '';
    assert.match(section, says);
    assert.ok(res.stdout.indexOf('id="suspensions"') < res.stdout.indexOf('<table'));
    assert.doesNotMatch((await at('HEAD', 'report', '--html', '-')).stdout, /id="suspensions"/);
  });
});

/**
 * A Suspension as a person sees it from every offline command: `validate`, `plan --offline` (text, JSON), `access`,
 * `can-i`, `diff` and `report --html` all say who is suspended, by which Suspension and why; a commit that lifts it
 * is told apart too. (Live plan and apply, and the effect on a real cluster: test/integration/credentials.test.ts.)
 */
import assert from 'node:assert/strict';
import type { Io } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { TestRepo } from '../../support/git/repo.js';
import { baseClusters, team } from '../../support/git/config.js';

async function roster(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: false };
  const code = await run(args, io);
  return { code, out, err };
}

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
    assert.equal(res.code, 0, res.err);
    assert.match(res.out + res.err, /suspended: User alice@example\.com \(Suspension alice-leave: on leave, HR-7\)/);
    assert.doesNotMatch((await at('HEAD', 'validate')).out, /suspended:/);
  });

  it('plan --offline ends with a Suspended section, and its JSON lists the same subject', async () => {
    const text = await at('HEAD~1', 'plan', '--offline');
    assert.match(text.out, /Suspended \(1\), left out of every binding on every cluster:\n/);
    assert.match(text.out, says);
    const access = text.out.slice(text.out.indexOf('\naccess\n'), text.out.indexOf('Suspended ('));
    assert.match(access, /\[User\] bob@example\.com/);
    assert.doesNotMatch(access, /\[User\] alice@example\.com/, 'alice holds nothing while suspended');
    const json = JSON.parse((await at('HEAD~1', 'plan', '--offline', '-o', 'json')).out) as {
      suspended: { kind: string; name: string; suspension: string }[];
    };
    assert.deepEqual(
      json.suspended.map((s) => `${s.kind} ${s.name} ${s.suspension}`),
      ['User alice@example.com alice-leave'],
    );
  });

  it('access and can-i add a note about the suspended identity; can-i says no', async () => {
    const access = await at('HEAD~1', 'access', '--user', 'alice@example.com', '--no-rules');
    assert.match(access.out + access.err, /note: User alice@example\.com is suspended by Suspension alice-leave/);
    const canI = await at('HEAD~1', 'can-i', 'get', 'pods', '-n', 'payments', '--as', 'alice@example.com');
    assert.equal(canI.code, 1);
    assert.match(canI.out, /no/);
    assert.match(canI.err, /suspended by Suspension alice-leave/);
    const bob = await at('HEAD~1', 'can-i', 'get', 'pods', '-n', 'payments', '--as', 'bob@example.com');
    assert.equal(bob.code, 0, 'the rest of the team keeps its access');
  });

  it('diff says a suspension was added, and that lifting it gives the access back', async () => {
    const added = await roster(['diff', 'HEAD~2..HEAD~1', '--repo', repo.dir]);
    assert.equal(added.code, 1);
    assert.match(added.out, /Suspension alice-leave suspends User alice@example\.com: on leave, HR-7/);
    const lifted = await roster(['diff', 'HEAD~1..HEAD', '--repo', repo.dir]);
    assert.match(lifted.out, /Suspension alice-leave lifted: User alice@example\.com get their access back/);
  });

  it('the HTML report has a Suspended section above the matrix', async () => {
    const res = await at('HEAD~1', 'report', '--html', '-');
    const section = /<section id="suspensions">(.*?)<\/section>/s.exec(res.out)?.[1] ?? '';
    assert.match(section, says);
    assert.ok(res.out.indexOf('id="suspensions"') < res.out.indexOf('<table'));
    assert.doesNotMatch((await at('HEAD', 'report', '--html', '-')).out, /id="suspensions"/);
  });
});

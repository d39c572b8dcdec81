import assert from 'node:assert/strict';
import { roster } from '../../support/cli.js';
import { baseClusters, PAYMENTS_DELEGATION, team } from '../../support/git/config.js';
import { TestRepo, type Author } from '../../support/git/repo.js';

const ADA: Author = { name: 'Ada Admin', email: 'ada@example.com' };
const PAT: Author = { name: 'Pat Payments', email: 'pat@example.com' };

async function audit(dir: string, args: string[] = []): Promise<{ code: number; out: string }> {
  const { code, stdout } = await roster(['audit', '--repo', `${dir}/config`, ...args]);
  return { code, out: stdout };
}

describe('roster audit: which Delegation a change fell under', function () {
  this.timeout(20_000);
  let repo: TestRepo;

  before(async () => {
    repo = await TestRepo.create();
    const clusters = baseClusters('config');
    const payments = (users: string[]) => ({
      'config/teams/payments.yaml': team('payments', { users, grants: [{ role: 'editor', namespaces: ['payments'] }] }),
    });
    const data = team('data', { users: ['dan@example.com'], grants: [{ role: 'viewer', namespaces: ['data'] }] });
    await repo.commit(
      { ...clusters, 'config/delegations/payments.yaml': PAYMENTS_DELEGATION, ...payments(['alice@example.com']) },
      { message: 'Set up, payments delegated', author: ADA },
    );
    await repo.commit(payments(['alice@example.com', 'bob@example.com']), { message: 'Add bob', author: PAT });
    await repo.commit({ 'config/teams/data.yaml': data }, { message: 'Add data team', author: ADA });
  });
  after(() => repo.remove());

  it('names the delegation of a delegated file, and none for the platform’s own files', async () => {
    const { code, out } = await audit(repo.dir);
    assert.equal(code, 0);
    assert.match(
      out,
      new RegExp(
        String.raw`Pat Payments <pat@example\.com> {2}Add bob\n {4}\+ bob@example\.com gains editor in payments ` +
          String.raw`on .* \(via team payments \(delegation payments-self-service\)\)`,
      ),
    );
    assert.match(out, /\+ dan@example\.com gains viewer in data on .* \(via team data\)\n/);
  });

  it('says so in JSON too, per access change', async () => {
    const { out } = await audit(repo.dir, ['-o', 'json']);
    type Change = { who: { name: string }; delegations?: Record<string, string> };
    const events = (JSON.parse(out) as { events: { subject: string; access: Change[] }[] }).events;
    const bob = events.find((e) => e.subject === 'Add bob')?.access.find((c) => c.who.name === 'bob@example.com');
    assert.deepEqual(bob?.delegations, { 'team payments': 'payments-self-service' });
    const dan = events.find((e) => e.subject === 'Add data team')?.access[0];
    assert.equal(dan?.delegations, undefined);
  });
});

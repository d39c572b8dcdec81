import assert from 'node:assert/strict';
import { run } from '../../../src/cli/main.js';
import { TestRepo } from '../../support/git/repo.js';
import { cluster, team } from '../../support/git/config.js';

/** The part of `roster audit -o json` these tests read. */
interface AuditJson {
  events: Array<{
    date: string;
    access: Array<{ change: string; who: { name: string }; role: string; byTime?: boolean }>;
  }>;
}

async function audit(dir: string): Promise<AuditJson> {
  let out = '';
  const code = await run(['audit', '--repo', dir, '-o', 'json'], {
    out: (t) => void (out += t),
    err: () => undefined,
    color: false,
  });
  assert.equal(code, 0);
  return JSON.parse(out) as AuditJson;
}

describe('roster audit with review.onOverdue: suspend', function () {
  this.timeout(20_000);

  it('shows the loss when a review falls due, by the clock, on the next commit', async () => {
    const repo = await TestRepo.create();
    const settings =
      'apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec:\n' +
      '  review: {every: 2m, onOverdue: suspend}\n';
    const payments =
      team('payments', { users: ['alice@example.com'], grants: [{ role: 'viewer', namespaces: ['payments'] }] }) +
      '  reviewed: {at: "2025-01-01T00:01:00Z", by: Rita <rita@example.com>}\n';
    // 00:01 reviewed, due 00:03: the commit at 00:03 (only a README) is the first to see the review overdue.
    await repo.commit(
      { 'roster.yaml': settings, 'clusters/east.yaml': cluster('east'), 'teams/payments.yaml': payments },
      { message: 'payments, reviewed' },
    );
    await repo.commit({ 'README.md': 'docs\n' }, { message: 'docs' });
    await repo.commit({ 'README.md': 'more docs\n' }, { message: 'docs' });
    await repo.commit(
      { 'teams/data.yaml': team('data', { users: ['dan@example.com'], grants: [] }) },
      { message: 'data team' },
    );
    const events = (await audit(repo.dir)).events;
    const losses = events.filter((e) => e.access.some((a) => a.change === 'loses'));
    assert.deepEqual(
      losses.map((e) => [e.date, ...e.access.map((a) => [a.change, a.who.name, a.role, a.byTime])]),
      [['2025-01-01T00:03:00Z', ['loses', 'alice@example.com', 'viewer', true]]],
      'the first commit at or after the due date shows the loss, blamed on the clock',
    );
  });
});

import assert from 'node:assert/strict';
import { roster } from '../../support/cli.js';
import { baseClusters, team } from '../../support/git/config.js';
import { TestRepo, type Author } from '../../support/git/repo.js';

const ADA: Author = { name: 'Ada Admin', email: 'ada@example.com' };
const TIA: Author = { name: 'Tia Tidy', email: 'tia@example.com' };

describe('roster audit: a commit that removes an already expired grant', function () {
  this.timeout(20_000);
  let repo: TestRepo;

  before(async () => {
    repo = await TestRepo.create();
    const clusters = baseClusters('config');
    const payments = (grants: Parameters<typeof team>[1]['grants']) => ({
      'config/teams/payments.yaml': team('payments', { users: ['alice@example.com'], grants }),
    });
    // One minute apart from 2025-01-01T00:01Z: the grant expires between the second and the third commit.
    await repo.commit(
      { ...clusters, ...payments([{ role: 'viewer', namespaces: ['payments'] }]) },
      { message: 'Set up', author: ADA },
    );
    await repo.commit(
      payments([
        { role: 'viewer', namespaces: ['payments'] },
        { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu'], expires: '2025-01-01T00:02:30Z' },
      ]),
      { message: 'Temporary editor', author: ADA },
    );
    await repo.commit(payments([{ role: 'viewer', namespaces: ['payments'] }]), { message: 'Tidy', author: TIA });
  });
  after(() => repo.remove());

  it('is not blamed for the loss: the expiry is marked as the clock’s', async () => {
    const { code, stdout: out } = await roster(['audit', '--repo', `${repo.dir}/config`]);
    assert.equal(code, 0);
    assert.match(
      out,
      /Tia Tidy <tia@example\.com> {2}Tidy\n {4}⏱ alice@example\.com loses editor in payments on prod-eu \(expired\)/,
    );
    assert.doesNotMatch(out, /- alice@example\.com loses editor/);
  });
});

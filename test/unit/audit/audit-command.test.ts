import assert from 'node:assert/strict';
import { run } from '../../../src/cli/main.js';
import { assertGolden } from '../../support/golden.js';
import { TestRepo, type Author } from '../../support/git/repo.js';
import { baseClusters, team } from '../../support/git/config.js';

const ADA: Author = { name: 'Ada Admin', email: 'ada@example.com' };
const BEN: Author = { name: 'Ben Builder', email: 'ben@example.com' };

async function roster(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), color: false });
  return { code, out, err };
}

const payments = (grants: Parameters<typeof team>[1]['grants'], users = ['alice@example.com']) => ({
  'config/teams/payments.yaml': team('payments', { users, groups: ['payments-eng'], grants }),
});

describe('roster audit', function () {
  this.timeout(20_000);
  let repo: TestRepo;
  const commits: Record<string, string> = {};
  const config = (args: string[]) => roster(['audit', '--repo', `${repo.dir}/config`, ...args]);

  before(async () => {
    repo = await TestRepo.create();
    const clusters = baseClusters('config');
    // Commit times: one minute apart from 2025-01-01T00:01Z.
    commits.setup = await repo.commit(
      { ...clusters, ...payments([{ role: 'viewer', namespaces: ['payments'] }]) },
      { message: 'Set up payments', author: ADA },
    );
    commits.grant = await repo.commit(
      payments([
        { role: 'viewer', namespaces: ['payments'] },
        { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu'], expires: '2025-01-01T00:03:30Z' },
      ]),
      { message: 'Temporary editor for the migration', author: BEN },
    );
    commits.readme = await repo.commit({ 'README.md': 'docs only\n' }, { message: 'Docs', author: BEN });
    commits.data = await repo.commit(
      {
        'config/teams/data.yaml': team('data', {
          users: ['dan@example.com'],
          grants: [{ role: 'viewer', namespaces: ['data'] }],
        }),
      },
      { message: 'Add data team', author: ADA },
    );
    commits.broken = await repo.commit(payments([{ role: 'edtor', namespaces: ['payments'] }]), {
      message: 'Typo',
      author: BEN,
    });
    commits.fixed = await repo.commit(
      payments(
        [
          { role: 'viewer', namespaces: ['payments', 'payments-*'] },
          { role: 'cluster-viewer', clusters: ['staging-eu'] },
        ],
        ['alice@example.com', 'bob@example.com'],
      ),
      { message: 'Add bob, wider pattern', author: ADA },
    );
  });
  after(() => repo.remove());

  const normalize = (text: string): string => text.split(repo.dir).join('<repo>');

  it('tells the history of access commit by commit, skipping commits that leave the config alone', async () => {
    const { code, out } = await config([]);
    assert.equal(code, 0);
    assertGolden('audit/timeline.txt', normalize(out));
    assert.match(out, /6 commits \(1 without config changes skipped\)/);
  });

  it('blames an expiry on the clock, not on the next commit, and resumes after an invalid commit', async () => {
    const { out } = await config([]);
    assert.match(
      out,
      /✗ config invalid \(1 error\); Roster refuses to apply it: teams\/payments\.yaml:\d+:\d+ .*unknown role "edtor"/,
    );
    assert.match(out, /⏱ alice@example\.com loses editor in payments on prod-eu \(expired\)/);
  });

  it('filters by subject, group, team and cluster', async () => {
    const bob = await config(['--subject', 'bob@example.com']);
    assert.match(bob.out, /\+ bob@example\.com gains viewer in payments on prod-eu, prod-us, staging-eu/);
    assert.doesNotMatch(bob.out, /alice|✗/);
    const group = await config(['--group', 'payments-eng', '--cluster', 'staging-eu']);
    assert.match(group.out, /\+ group payments-eng gains cluster-viewer on staging-eu/);
    assert.doesNotMatch(group.out, /prod-eu|alice/);
    const other = await config(['--team', 'nobody']);
    assert.match(other.out, /: 0 changes in 6 commits/);
  });

  it('starts from the state before --since', async () => {
    const { out } = await config(['--since', '2025-01-01T00:05:00Z']);
    assert.doesNotMatch(out, /Set up payments|Temporary editor|Add data team/);
    assert.match(out, /Add bob, wider pattern/);
  });

  it('writes a JSON timeline', async () => {
    const { out } = await config(['-o', 'json', '--subject', 'alice@example.com']);
    assertGolden('audit/timeline-alice.json', normalize(out));
    const json = JSON.parse(out) as { events: Array<{ commit: string; author: Author }> };
    assert.deepEqual(
      json.events.map((e) => e.commit),
      [commits.setup, commits.grant, commits.data, commits.fixed],
    );
    assert.deepEqual(json.events[1]?.author, BEN);
  });

  it('answers who had access to a namespace at a date, from the config in force then', async () => {
    const during = await config(['--at', '2025-01-01T00:02:30Z', '--namespace', 'payments', '--cluster', 'prod-eu']);
    assert.match(
      during.out,
      /config as of commit [0-9a-f]{12} \(2025-01-01 00:02, Ben Builder <ben@example\.com>: Temporary editor/,
    );
    assert.match(
      during.out,
      /prod-eu {2}alice@example\.com {2}editor {2}in payments {2}\(via team payments, until 2025-01-01T00:03:30Z\)/,
    );
    const later = await config(['--at', '2025-01-01T00:05:30Z', '--namespace', 'payments', '--cluster', 'prod-eu']);
    assert.match(later.out, /\(1 newer commit did not validate and was never applied\)/);
    assert.doesNotMatch(later.out, /editor/);
    const pattern = await config([
      '--at',
      '2025-01-01T01:00:00Z',
      '--namespace',
      'payments-api',
      '--cluster',
      'prod-eu',
    ]);
    assert.match(pattern.out, /bob@example\.com {2}viewer {2}through pattern payments-\*/);
    const before = await config(['--at', '2024-12-31T00:00:00Z']);
    assert.match(before.out, /No valid config existed on this branch at that time\./);
  });

  it('refuses --namespace without --at', async () => {
    assert.equal((await config(['--namespace', 'payments'])).code, 2);
  });
});

import assert from 'node:assert/strict';
import { run } from '../../../src/cli/main.js';
import { assertGolden } from '../../support/golden.js';
import { TestRepo, type Author } from '../../support/git/repo.js';
import { cluster, settings, team, token } from '../../support/git/config.js';

const ADA: Author = { name: 'Ada Admin', email: 'ada@example.com' };
const BEN: Author = { name: 'Ben Builder, Jr.', email: 'ben@example.com' };
const RITA: Author = { name: 'Rita Reviewer', email: 'rita@example.com' };

async function roster(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), color: false });
  return { code, out, err };
}

const reviewed = (text: string, at: string, by: string) => `${text}  reviewed:\n    at: ${at}\n    by: ${by}\n`;

describe('roster audit --evidence', function () {
  this.timeout(20_000);
  let repo: TestRepo;
  const saved = process.env.ROSTER_NOW;
  const evidence = (...args: string[]) => roster(['audit', '--evidence', '--repo', repo.dir, ...args]);

  before(async () => {
    process.env.ROSTER_NOW = '2025-01-01T01:00:00Z';
    repo = await TestRepo.create();
    const payments = (users: string[]) =>
      team('payments', {
        users,
        grants: [
          { role: 'viewer', namespaces: ['payments'] },
          { role: 'editor', namespaces: ['payments'], clusters: ['east'], expires: '2025-01-01T00:03:30Z' },
        ],
      });
    // Commit times: one minute apart from 2025-01-01T00:01Z.
    await repo.commit(
      {
        'roster.yaml': settings(),
        'clusters/east.yaml': cluster('east'),
        'teams/payments.yaml': payments(['alice@example.com']),
      },
      { message: 'Add the payments team\n\nRoster-Reason: onboarding, "payments" launch\n', author: ADA },
    );
    await repo.commit(
      { 'teams/payments.yaml': payments(['alice@example.com', 'bob@example.com']) },
      { message: 'Add bob\n\nRoster-Reason: INC-1234\n', author: BEN },
    );
    await repo.commit(
      {
        'teams/payments.yaml': reviewed(
          payments(['alice@example.com', 'bob@example.com']),
          '2025-01-01T00:03:00Z',
          'Rita Reviewer <rita@example.com>',
        ),
      },
      {
        message:
          'Review team payments: members and grants attested\n\nRoster-Reviewed-by: Rita Reviewer <rita@example.com>\n',
        author: RITA,
      },
    );
    await repo.commit(
      {
        'teams/payments.yaml': reviewed(
          payments(['bob@example.com']),
          '2025-01-01T00:03:00Z',
          'Rita Reviewer <rita@example.com>',
        ),
      },
      { message: 'alice moved to another team', author: ADA },
    );
    await repo.commit(
      {
        'tokens/ci.yaml': token('ci', 'payments', '2025-02-01T00:00:00Z', [
          { role: 'viewer', namespaces: ['payments'] },
        ]),
      },
      { message: 'CI token', author: BEN },
    );
  });

  after(() => {
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
  });

  it('lists each grant with who granted it, why, its reviews and how it ended, as CSV', async () => {
    const res = await evidence('-o', 'csv');
    assert.equal(res.code, 0, res.err);
    assertGolden('audit/evidence.csv', res.out);
    const rows = res.out.trimEnd().split('\r\n');
    assert.equal(rows.length, 6, 'header + the token, alice and bob: editor and viewer each');
    assert.match(rows[2]!, /^user,alice@example.com,team payments,editor,payments,false,east,2025-01-01T00:01:00Z,/);
    assert.match(rows[2]!, /,expired$/);
    assert.match(rows[3]!, /,"onboarding, ""payments"" launch",/);
    assert.match(
      rows[3]!,
      new RegExp(
        String.raw`,1,2025-01-01T00:03:00Z Rita Reviewer <rita@example.com> ` +
          String.raw`[0-9a-f]{12},2025-01-01T00:04:00Z,[0-9a-f]{40},Ada Admin <ada@example.com>,removed$`,
      ),
    );
    assert.match(rows[1]!, /^token,ci,token ci,viewer,payments,false,east,.*,2025-02-01T00:00:00Z,0,,,,,$/);
  });

  it('as JSON, the same rows', async () => {
    const res = await evidence('-o', 'json');
    assert.equal(res.code, 0, res.err);
    assertGolden('audit/evidence.json', res.out.replace(/"repo": ".*"/, '"repo": "<repo>"'));
  });

  it('--since leaves out grants that ended before it', async () => {
    const res = await evidence('-o', 'csv', '--since', '2025-01-01T00:04:30Z');
    assert.equal(res.code, 0, res.err);
    assert.deepEqual(
      res.out
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((r) => r.split(',').slice(0, 4).join(' ')),
      ['token ci token ci viewer', 'user bob@example.com team payments viewer'],
    );
  });

  it('refuses -o csv without --evidence', async () => {
    const res = await roster(['audit', '--repo', repo.dir, '-o', 'csv']);
    assert.equal(res.code, 2);
    assert.match(res.err, /-o csv is for --evidence/);
  });
});

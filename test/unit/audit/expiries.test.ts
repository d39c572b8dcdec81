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

interface JsonExpiry {
  change: string;
  who: { kind: string; name: string };
  role: string;
  clusters: string[];
  before?: string;
  after?: string;
  delegations?: Record<string, string>;
  text: string;
}
interface JsonEvent {
  commit: string;
  subject: string;
  access: unknown[];
  expiries: JsonExpiry[];
  trailers?: Record<string, string>;
}

describe('roster audit: a commit that only moves a grant’s expiry', function () {
  this.timeout(20_000);
  let repo: TestRepo;
  const oids: Record<string, string> = {};

  before(async () => {
    repo = await TestRepo.create();
    const clusters = baseClusters('config');
    const payments = (viewer?: string, editor?: string) => ({
      'config/teams/payments.yaml': team('payments', {
        users: ['alice@example.com'],
        grants: [
          { role: 'viewer', namespaces: ['payments'], ...(viewer ? { expires: viewer } : {}) },
          { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu'], ...(editor ? { expires: editor } : {}) },
        ],
      }),
    });
    // Commits are one minute apart from 2025-01-01T00:01Z: no expiry below passes during the history.
    oids.setup = await repo.commit(
      {
        ...clusters,
        'config/delegations/payments.yaml': PAYMENTS_DELEGATION,
        ...payments(undefined, '2025-02-01T00:00:00Z'),
      },
      { message: 'Set up', author: ADA },
    );
    oids.extend = await repo.commit(payments(undefined, '2025-03-01T00:00:00Z'), {
      message: 'Extend editor\n\nRoster-Reason: INC-7\n',
      author: PAT,
    });
    oids.shorten = await repo.commit(payments(undefined, '2025-01-15T00:00:00Z'), {
      message: 'Shorten editor',
      author: PAT,
    });
    oids.temporary = await repo.commit(payments('2030-06-01T00:00:00Z', '2025-01-15T00:00:00Z'), {
      message: 'Viewer until 2030',
      author: ADA,
    });
    oids.permanent = await repo.commit(payments('2030-06-01T00:00:00Z'), {
      message: 'Editor for good',
      author: ADA,
    });
  });
  after(() => repo.remove());

  it('lists each move under its commit and author, with the delegation, in text', async () => {
    const { code, out } = await audit(repo.dir);
    assert.equal(code, 0);
    const via = String.raw` \(via team payments \(delegation payments-self-service\)\)`;
    assert.match(
      out,
      new RegExp(
        String.raw`Pat Payments <pat@example\.com> {2}Extend editor\n {4}~ alice@example\.com editor in payments on ` +
          String.raw`prod-eu: until 2025-02-01 → until 2025-03-01 \(extended\)${via}\n {4}Reason: INC-7`,
      ),
    );
    assert.match(
      out,
      new RegExp(
        String.raw`Shorten editor\n {4}~ alice@example\.com editor in payments on prod-eu: ` +
          String.raw`until 2025-03-01 → until 2025-01-15 \(shortened\)${via}\n`,
      ),
    );
    assert.match(
      out,
      new RegExp(
        String.raw`Viewer until 2030\n {4}~ alice@example\.com viewer in payments on prod-eu, prod-us, staging-eu: ` +
          String.raw`permanent → until 2030-06-01 \(made temporary\)${via}\n`,
      ),
    );
    assert.match(
      out,
      new RegExp(
        String.raw`Editor for good\n {4}~ alice@example\.com editor in payments on prod-eu: ` +
          String.raw`until 2025-01-15 → permanent \(made permanent\)${via}\n`,
      ),
    );
    assert.match(out, /^Access changes in [^\n]*: 5 changes in 5 commits/);
  });

  it('puts them in "expiries" in JSON, and filters them like access changes', async () => {
    const { out } = await audit(repo.dir, ['-o', 'json']);
    const events = (JSON.parse(out) as { events: JsonEvent[] }).events;
    const extend = events.find((e) => e.commit === oids.extend);
    assert.deepEqual(extend?.access, []);
    assert.deepEqual(
      extend?.expiries.map(({ text: _, ...c }) => c),
      [
        {
          change: 'extended',
          who: { kind: 'user', name: 'alice@example.com' },
          role: 'editor',
          scope: 'namespace',
          namespace: 'payments',
          clusters: ['prod-eu'],
          via: ['team payments'],
          before: '2025-02-01T00:00:00Z',
          after: '2025-03-01T00:00:00Z',
          delegations: { 'team payments': 'payments-self-service' },
        },
      ],
    );
    assert.deepEqual(extend?.trailers, { 'Roster-Reason': 'INC-7' });
    const permanent = events.find((e) => e.commit === oids.permanent)?.expiries[0];
    assert.equal(permanent?.change, 'made-permanent');
    assert.equal(permanent?.after, undefined);

    const onUs = JSON.parse((await audit(repo.dir, ['--cluster', 'prod-us', '-o', 'json'])).out) as {
      events: JsonEvent[];
    };
    assert.deepEqual(
      onUs.events.map((e) => [e.subject, e.expiries.map((c) => `${c.role} ${c.change} ${c.clusters.join()}`)]),
      [
        ['Set up', []],
        ['Viewer until 2030', ['viewer made-temporary prod-us']],
      ],
    );
    const bob = JSON.parse((await audit(repo.dir, ['--subject', 'bob@example.com', '-o', 'json'])).out) as {
      events: JsonEvent[];
    };
    assert.deepEqual(bob.events, []);
  });

  it('records each move of a held grant’s end in the evidence JSON, and keeps the CSV columns', async () => {
    const { code, out } = await audit(repo.dir, ['--evidence', '-o', 'json']);
    assert.equal(code, 0);
    const rows = (JSON.parse(out) as { rows: Record<string, unknown>[] }).rows;
    const editor = rows.find((r) => r.role === 'editor' && r.cluster === 'prod-eu');
    assert.equal(editor?.grantedCommit, oids.setup);
    assert.equal(editor?.expires, undefined, 'permanent at head');
    assert.deepEqual(editor?.expiryChanges, [
      {
        at: '2025-01-01T00:02:00Z',
        commit: oids.extend,
        by: 'Pat Payments <pat@example.com>',
        change: 'extended',
        before: '2025-02-01T00:00:00Z',
        after: '2025-03-01T00:00:00Z',
        reason: 'INC-7',
      },
      {
        at: '2025-01-01T00:03:00Z',
        commit: oids.shorten,
        by: 'Pat Payments <pat@example.com>',
        change: 'shortened',
        before: '2025-03-01T00:00:00Z',
        after: '2025-01-15T00:00:00Z',
      },
      {
        at: '2025-01-01T00:05:00Z',
        commit: oids.permanent,
        by: 'Ada Admin <ada@example.com>',
        change: 'made-permanent',
        before: '2025-01-15T00:00:00Z',
      },
    ]);
    assert.deepEqual(Object.keys(editor ?? {}).slice(-1), ['expiryChanges']);
    const viewerUs = rows.find((r) => r.role === 'viewer' && r.cluster === 'prod-us');
    assert.equal(viewerUs?.expires, '2030-06-01T00:00:00Z');
    assert.deepEqual(
      (viewerUs?.expiryChanges as { change: string; commit: string }[]).map((c) => [c.change, c.commit]),
      [['made-temporary', oids.temporary]],
    );

    const csv = (await audit(repo.dir, ['--evidence', '-o', 'csv'])).out.split('\r\n');
    assert.equal(
      csv[0],
      'subject_kind,subject,via,role,namespace,pattern,cluster,granted_at,granted_commit,granted_by,granted_by_time,' +
        'reason,expires,reviews,review_history,ended_at,ended_commit,ended_by,ended_how',
    );
    assert.equal(csv.length, 1 + 4 + 1, 'one row per grant and cluster, none per move of its end');
  });
});

describe('roster audit --evidence: when access held through two teams ends', function () {
  this.timeout(20_000);
  let repo: TestRepo;

  before(async () => {
    repo = await TestRepo.create();
    const clusters = baseClusters('config');
    const grant = (expires?: string) => [
      { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu'], ...(expires ? { expires } : {}) },
    ];
    await repo.commit(
      {
        ...clusters,
        'config/teams/payments.yaml': team('payments', { users: ['alice@example.com'], grants: grant() }),
        'config/teams/zz-oncall.yaml': team('zz-oncall', {
          users: ['alice@example.com', 'bob@example.com'],
          grants: grant('2030-06-01T00:00:00Z'),
        }),
      },
      { message: 'Set up', author: ADA },
    );
  });
  after(() => repo.remove());

  it('leaves expires empty while another team gives the same access for good', async () => {
    const { out } = await audit(repo.dir, ['--evidence', '-o', 'json']);
    const rows = (JSON.parse(out) as { rows: { subject: string; expires?: string; via: string[] }[] }).rows;
    assert.deepEqual(
      rows.map((r) => [r.subject, r.via.join('; '), r.expires]),
      [
        ['alice@example.com', 'team payments; team zz-oncall', undefined],
        ['bob@example.com', 'team zz-oncall', '2030-06-01T00:00:00Z'],
      ],
    );
  });
});

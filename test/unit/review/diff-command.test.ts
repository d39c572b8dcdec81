import assert from 'node:assert/strict';
import type { Io } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { assertGolden } from '../../support/golden.js';
import { TestRepo } from '../../support/git/repo.js';
import { baseClusters, role, team, token } from '../../support/git/config.js';

interface Captured extends Io {
  stdout: string;
  stderr: string;
}

function capture(): Captured {
  const io: Captured = {
    stdout: '',
    stderr: '',
    color: false,
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
  };
  return io;
}

async function roster(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await run(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

const BASE = {
  ...baseClusters(),
  'roles/deployer.yaml': role('deployer', { verbs: ['get', 'list'], resources: ['pods'] }),
  'roles/break-glass.yaml': role('break-glass', {
    scope: 'cluster',
    verbs: ['*'],
    resources: ['pods'],
    privileged: true,
  }),
  'teams/payments.yaml': team('payments', {
    users: ['alice@example.com', 'dave@example.com'],
    groups: ['payments-eng'],
    grants: [
      { role: 'viewer', namespaces: ['payments'] },
      { role: 'cluster-viewer', clusters: ['staging-eu'] },
    ],
  }),
  'teams/data.yaml': team('data', {
    users: ['bob@example.com', 'dave@example.com'],
    grants: [{ role: 'viewer', namespaces: ['payments', 'data'] }],
  }),
  'teams/ops.yaml': team('ops', {
    users: ['olga@example.com'],
    grants: [{ role: 'editor', namespaces: ['ops-eu-*'] }],
  }),
  'teams/oncall.yaml': team('oncall', {
    users: ['frank@example.com'],
    grants: [
      { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu'], expires: '2026-12-02T12:00:00Z' },
      { role: 'viewer', namespaces: ['ops'], expires: '2026-12-10T00:00:00Z' },
      { role: 'viewer', namespaces: ['monitoring'] },
      { role: 'cluster-viewer', clusters: ['staging-eu'], expires: '2027-01-01T00:00:00Z' },
    ],
  }),
  'tokens/ci-deployer.yaml': token('ci-deployer', 'payments', '2027-01-01T00:00:00Z', [
    { role: 'deployer', namespaces: ['payments'], clusters: ['prod-eu'] },
  ]),
  'tokens/old-bot.yaml': token('old-bot', 'data', '2027-01-01T00:00:00Z', [{ role: 'viewer', namespaces: ['data'] }]),
};

const HEAD = {
  'roles/deployer.yaml': role('deployer', { verbs: ['get', 'list', 'delete'], resources: ['pods'] }),
  'teams/payments.yaml': team('payments', {
    users: ['alice@example.com', 'dave@example.com'],
    groups: ['payments-eng'],
    grants: [
      { role: 'viewer', namespaces: ['payments'] },
      { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu', 'prod-us'] },
    ],
  }),
  // dave leaves data but keeps viewer in payments through the payments team: no loss for him there.
  'teams/data.yaml': team('data', {
    users: ['bob@example.com'],
    grants: [{ role: 'viewer', namespaces: ['payments', 'data', 'data-*'] }],
  }),
  'teams/ops.yaml': team('ops', { users: ['olga@example.com'], grants: [{ role: 'editor', namespaces: ['ops-*'] }] }),
  'teams/security.yaml': team('security', {
    users: ['carol@example.com'],
    grants: [{ role: 'owner', namespaces: ['payments'], clusters: ['staging-eu'] }],
  }),
  'teams/sre.yaml': team('sre', {
    users: ['erin@example.com'],
    grants: [{ role: 'break-glass', clusters: ['prod-eu'] }],
  }),
  // Only the ends move: extended, made permanent, made temporary, shortened.
  'teams/oncall.yaml': team('oncall', {
    users: ['frank@example.com'],
    grants: [
      { role: 'editor', namespaces: ['payments'], clusters: ['prod-eu'], expires: '2026-12-02T16:00:00Z' },
      { role: 'viewer', namespaces: ['ops'] },
      { role: 'viewer', namespaces: ['monitoring'], expires: '2026-12-05T00:00:00Z' },
      { role: 'cluster-viewer', clusters: ['staging-eu'], expires: '2026-12-15T00:00:00Z' },
    ],
  }),
  'tokens/ci-deployer.yaml': token('ci-deployer', 'payments', '2027-02-01T00:00:00Z', [
    { role: 'deployer', namespaces: ['payments'], clusters: ['prod-eu'] },
  ]),
  'tokens/old-bot.yaml': null,
  'tokens/metrics.yaml': token('metrics', 'data', '2027-01-15T00:00:00Z', [
    { role: 'viewer', namespaces: ['monitoring'], clusters: ['prod-us'] },
  ]),
};

describe('roster diff', function () {
  this.timeout(20_000);
  let repo: TestRepo;
  const saved = process.env.ROSTER_NOW;

  before(async () => {
    process.env.ROSTER_NOW = '2026-12-01T00:00:00Z';
    repo = await TestRepo.create();
    await repo.commit(BASE, { message: 'base config' });
    await repo.branch('feature', { checkout: true });
    await repo.commit(HEAD, { message: 'grant editor, widen patterns' });
    await repo.commit({ 'teams/data.yaml': `# a comment only\n${HEAD['teams/data.yaml']}` }, { message: 'comment' });
    await repo.checkout('main');
  });
  after(async () => {
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
    await repo.remove();
  });

  const normalize = (text: string): string => text.split(repo.dir).join('<repo>');

  for (const output of ['text', 'markdown', 'json'] as const) {
    it(`describes access changes in people's terms, risky first (-o ${output})`, async () => {
      const { code, out, err } = await roster(['diff', 'main...feature', '--repo', repo.dir, '-o', output]);
      assert.equal(err, '');
      assert.equal(code, 1);
      assertGolden(
        `diff/acme-like.${output === 'markdown' ? 'md' : output === 'json' ? 'json' : 'txt'}`,
        normalize(out),
      );
    });
  }

  it('keeps access held through another team, and groups clusters in one sentence', async () => {
    const { out } = await roster(['diff', 'main..feature', '--repo', repo.dir]);
    assert.match(out, /\+ alice@example\.com gains editor in payments on prod-eu, prod-us \(via team payments\)/);
    assert.match(out, /- group payments-eng loses cluster-viewer on staging-eu \(via team payments\)/);
    assert.doesNotMatch(out, /dave@example\.com loses viewer in payments/);
    assert.match(out, /dave@example\.com loses viewer in data/);
  });

  it('shows a grant whose expiry alone moved: extended, shortened, made permanent, made temporary', async () => {
    const { out } = await roster(['diff', 'main..feature', '--repo', repo.dir]);
    const line = (...parts: string[]) =>
      new RegExp(`^  ~ ${parts.join('').replace(/[.*()]/g, '\\$&')} \\(via team oncall\\)$`, 'm');
    assert.match(
      out,
      line(
        'frank@example.com editor in payments on prod-eu: ',
        'until 2026-12-02T12:00:00Z → until 2026-12-02T16:00:00Z (extended)',
      ),
    );
    assert.match(
      out,
      line(
        'frank@example.com viewer in ops on prod-eu, prod-us, staging-eu: ',
        'until 2026-12-10 → permanent (made permanent)',
      ),
    );
    assert.match(
      out,
      line(
        'frank@example.com viewer in monitoring on prod-eu, prod-us, staging-eu: ',
        'permanent → until 2026-12-05 (made temporary)',
      ),
    );
    assert.match(
      out,
      line('frank@example.com cluster-viewer on staging-eu: until 2027-01-01 → until 2026-12-15 (shortened)'),
    );
  });

  it('exits 1 when a commit only moves an expires, and says so in every output', async () => {
    await repo.branch('extend', { checkout: true });
    await repo.commit(
      {
        'teams/oncall.yaml': BASE['teams/oncall.yaml'].replace('2026-12-02T12:00:00Z', '2026-12-02T16:00:00Z'),
      },
      { message: 'extend the on-call editor grant' },
    );
    await repo.checkout('main');
    const text = await roster(['diff', 'main..extend', '--repo', repo.dir]);
    assert.equal(text.code, 1, text.err);
    assert.doesNotMatch(text.out, /No access changes/);
    assert.match(text.out, /until 2026-12-02T12:00:00Z → until 2026-12-02T16:00:00Z \(extended\)/);
    const md = await roster(['diff', 'main..extend', '--repo', repo.dir, '-o', 'markdown']);
    assert.match(md.out, /\*\*1 access change\*\*\./);
    assert.match(md.out, /- ⏳ frank@example\.com `editor` in `payments` on `prod-eu`: until 2026-12-02T12:00:00Z → /);
    const json = JSON.parse((await roster(['diff', 'main..extend', '--repo', repo.dir, '-o', 'json'])).out) as {
      changed: boolean;
      expiries: Array<{ change: string; before: string; after: string }>;
    };
    assert.equal(json.changed, true);
    assert.deepEqual(
      json.expiries.map((c) => [c.change, c.before, c.after]),
      [['extended', '2026-12-02T12:00:00Z', '2026-12-02T16:00:00Z']],
    );
  });

  it('exits 0 when only comments change', async () => {
    const { code, out } = await roster(['diff', 'feature~1..feature', '--repo', repo.dir]);
    assert.equal(code, 0);
    assert.match(out, /No access changes\./);
  });

  it('exits 2 when either side is invalid', async () => {
    await repo.branch('broken', { checkout: true });
    await repo.commit(
      {
        'teams/ops.yaml': team('ops', {
          users: ['olga@example.com'],
          grants: [{ role: 'edtor', namespaces: ['ops'] }],
        }),
      },
      { message: 'typo' },
    );
    await repo.checkout('main');
    const { code, err } = await roster(['diff', 'main..broken', '--repo', repo.dir]);
    assert.equal(code, 2);
    assert.match(err, /^broken \([0-9a-f]{12}\): teams\/ops\.yaml:\d+:\d+ .*unknown role "edtor"/m);
  });

  it('exits 2 on an unknown ref', async () => {
    assert.equal((await roster(['diff', 'main..nope', '--repo', repo.dir])).code, 2);
  });
});

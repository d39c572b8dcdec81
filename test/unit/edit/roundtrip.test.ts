/**
 * Round-trip goldens over a corpus of hand-written files (comments, anchors and aliases, flow and block style,
 * non-indented sequences, folded scalars, several documents per file): each grant's diff is a golden, the edited
 * repository validates, and revoking the same access returns every file byte for byte.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { unifiedDiff, applyChanges } from '../../../src/cli/edit-command.js';
import { planGrant } from '../../../src/edit/grant.js';
import { planRevoke } from '../../../src/edit/revoke.js';
import { parseSubject } from '../../../src/edit/subject.js';
import type { EditPlan, GrantRequest, RevokeRequest } from '../../../src/edit/types.js';
import { readRepoDir } from '../../../src/load/dir.js';
import type { RepoFile } from '../../../src/load/types.js';
import type { Model } from '../../../src/model/types.js';
import { validateRepo } from '../../../src/validate/index.js';
import { assertGolden } from '../../support/golden.js';
import { fixturesDir } from '../../support/paths.js';

const NOW = new Date('2026-12-02T02:00:00Z');
const FOUR_HOURS = new Date('2026-12-02T06:00:00Z');

interface Case {
  name: string;
  grant: Omit<GrantRequest, 'subject'> & { subject: string };
  /** Applied in order: a grant that also added the member takes a revoke of the role and one of the membership. */
  revoke: (Omit<RevokeRequest, 'subject'> & { subject: string })[];
}

const CASES: Case[] = [
  {
    name: 'member-of-block-team',
    grant: {
      subject: 'user:alice@example.com',
      role: 'editor',
      namespaces: ['payments-api'],
      clusters: { names: ['prod-eu'] },
      expires: FOUR_HOURS,
      reason: 'INC-1234',
    },
    revoke: [
      {
        subject: 'user:alice@example.com',
        role: 'editor',
        namespaces: ['payments-api'],
        clusters: { names: ['prod-eu'] },
      },
    ],
  },
  {
    name: 'new-member-of-flow-team',
    grant: {
      subject: 'user:ivan@example.com',
      role: 'editor',
      namespaces: ['data-lake'],
      team: 'data',
      expires: FOUR_HOURS,
    },
    revoke: [
      { subject: 'user:ivan@example.com', role: 'editor', namespaces: ['data-lake'], team: 'data' },
      { subject: 'user:ivan@example.com', namespaces: [], team: 'data' },
    ],
  },
  {
    name: 'group-into-second-document',
    grant: {
      subject: 'group:search-eng',
      role: 'owner',
      namespaces: ['search'],
      team: 'search',
      clusters: { matchLabels: { env: 'staging' } },
    },
    revoke: [
      { subject: 'group:search-eng', role: 'owner', namespaces: ['search'], team: 'search' },
      { subject: 'group:search-eng', namespaces: [] },
    ],
  },
  {
    name: 'first-grant-of-a-team',
    grant: { subject: 'group:sre', role: 'cluster-editor', namespaces: [], expires: FOUR_HOURS },
    revoke: [{ subject: 'group:sre', role: 'cluster-editor', namespaces: [] }],
  },
  {
    name: 'new-team-file',
    grant: {
      subject: 'sa:ci/deployer',
      role: 'editor',
      namespaces: ['checkout'],
      clusters: { matchLabels: { env: 'staging' } },
    },
    revoke: [{ subject: 'sa:ci/deployer', role: 'editor', namespaces: [] }],
  },
];

describe('edit: grant then revoke returns every file byte for byte', function () {
  let files: RepoFile[];
  let model: Model;

  before(async function () {
    files = await readRepoDir(join(fixturesDir, 'edit', 'corpus'));
    const result = validateRepo(files, { now: NOW });
    assert.ok(result.model, JSON.stringify(result.diagnostics));
    model = result.model;
  });

  for (const c of CASES) {
    it(`${c.name}: the grant diff matches its golden, validates, and revoke undoes it exactly`, function () {
      const grant = planGrant(files, model, { ...c.grant, subject: parseSubject(c.grant.subject) });
      assert.equal(grant.noop, undefined);
      assertGolden(`edit/${c.name}.diff`, `${grant.done.join('\n')}\n\n${unifiedDiff(grant.changes)}`);
      const granted = validated(applyChanges(files, grant.changes));
      let state = granted;
      for (const r of c.revoke) {
        const revoke = planRevoke(state.files, state.model, { ...r, subject: parseSubject(r.subject) });
        assert.equal(revoke.noop, undefined);
        const after = applyChanges(state.files, revoke.changes);
        state = { files: after, model: validateRepo(after, { now: NOW }).model ?? state.model };
      }
      assert.deepEqual(state.files, files);
    });
  }

  it('keeps every untouched file and document byte for byte', function () {
    const grant = planGrant(files, model, {
      subject: parseSubject('group:search-eng'),
      role: 'viewer',
      namespaces: ['search'],
      team: 'search',
    });
    assert.deepEqual(
      grant.changes.map((ch) => ch.path),
      ['teams/multi.yaml'],
    );
    const [change] = grant.changes;
    const before = change!.before!.split('\n');
    const after = change!.after!.split('\n');
    assert.deepEqual(after.slice(0, 22), before.slice(0, 22), 'the first document is untouched');
  });

  it('keeps CRLF line endings, and revoke undoes the grant byte for byte', function () {
    const crlf = files.map((f) =>
      f.path === 'teams/payments.yaml' ? { ...f, text: f.text.replace(/\n/g, '\r\n') } : f,
    );
    const before = validated(crlf);
    const req = { subject: parseSubject('user:alice@example.com'), role: 'owner', namespaces: ['payments'] };
    const grant = planGrant(before.files, before.model, req);
    const after = grant.changes[0]!.after!;
    assert.match(after, /\r\n {2}- role: owner\r\n {4}namespaces: \[payments\]\r\n/);
    assert.doesNotMatch(after.replace(/\r\n/g, ''), /\n/);
    const granted = validated(applyChanges(before.files, grant.changes));
    const revoke = planRevoke(granted.files, granted.model, { ...req, role: 'owner' });
    assert.deepEqual(applyChanges(granted.files, revoke.changes), crlf);
  });

  it('a second identical grant is a no-op that says which grant covers it', function () {
    const req: GrantRequest = {
      subject: parseSubject('user:alice@example.com'),
      role: 'viewer',
      namespaces: ['payments-web'],
      clusters: { matchLabels: { env: 'prod' } },
    };
    const plan = planGrant(files, model, req);
    assert.equal(plan.changes.length, 0);
    assert.match(
      plan.noop ?? '',
      new RegExp(
        String.raw`team payments \(teams\/payments\.yaml\) already grants viewer in payments, payments-\* ` +
          String.raw`.*\(teams\/payments\.yaml:18\); nothing to change`,
      ),
    );
    const twice = grantTwice({ ...req, role: 'editor', namespaces: ['ledger'], clusters: { names: ['staging-eu'] } });
    assert.match(twice.noop ?? '', /already grants editor in ledger on staging-eu/);
  });

  it('the same grant asked to end later moves its expiry, keeping the quoting, instead of adding one', function () {
    const req: GrantRequest = {
      subject: parseSubject('user:alice@example.com'),
      role: 'editor',
      namespaces: ['payments-api'],
      clusters: { names: ['prod-eu'] },
      expires: FOUR_HOURS,
    };
    const first = validated(applyChanges(files, planGrant(files, model, req).changes));
    const quoted = first.files.map((f) =>
      f.path === 'teams/payments.yaml'
        ? { ...f, text: f.text.replace(/expires: (\S+)/, 'expires: "$1"  # on call') }
        : f,
    );
    const start = validated(quoted);
    const later = planGrant(start.files, start.model, { ...req, expires: new Date('2026-12-02T07:30:00Z') });
    assert.deepEqual(later.done, [
      'extended grant editor in payments-api on prod-eu until 2026-12-02T06:00:00Z of team payments ' +
        '(teams/payments.yaml:30) to 2026-12-02T07:30:00Z',
    ]);
    const before = start.files.find((f) => f.path === 'teams/payments.yaml')!.text;
    assert.equal(
      later.changes[0]!.after,
      before.replace('expires: "2026-12-02T06:00:00Z"  # on call', 'expires: "2026-12-02T07:30:00Z"  # on call'),
    );
    const sooner = planGrant(start.files, start.model, { ...req, expires: new Date('2026-12-02T05:00:00Z') });
    assert.match(sooner.noop ?? '', /already grants editor in payments-api on prod-eu until 2026-12-02T06:00:00Z/);
    const wider = planGrant(start.files, start.model, { ...req, namespaces: ['payments-api', 'ledger'] });
    assert.match(wider.done.join('\n'), /^added grant editor in payments-api, ledger on prod-eu/);
  });

  it('revoke narrows a namespace list and leaves the rest of the grant', function () {
    const plan = planRevoke(files, model, {
      subject: parseSubject('user:alice@example.com'),
      role: 'editor',
      namespaces: ['payments'],
    });
    const after = applyChanges(files, plan.changes).find((f) => f.path === 'teams/payments.yaml')!.text;
    assert.match(after, /namespaces: \["payments-\*"\]\n {4}clusters:\n {6}matchLabels:\n {8}env: staging/);
    assert.match(plan.done.join('\n'), /narrowed grant editor in payments, payments-\* .* removed payments/);
  });

  it('revoke without a role removes the membership only', function () {
    const plan = planRevoke(files, model, { subject: parseSubject('user:dave@example.com'), namespaces: [] });
    const after = applyChanges(files, plan.changes).find((f) => f.path === 'teams/payments.yaml')!.text;
    assert.ok(!after.includes('dave@example.com'));
    assert.ok(after.includes('- alice@example.com   # lead\n    groups:'), after);
  });

  it('refuses with the candidates when the subject is in several teams', function () {
    const twoTeams = validated(
      applyChanges(
        files,
        planGrant(files, model, {
          subject: parseSubject('user:erin@example.com'),
          role: 'viewer',
          namespaces: ['search'],
          team: 'search',
        }).changes,
      ),
    );
    assert.throws(
      () =>
        planGrant(twoTeams.files, twoTeams.model, {
          subject: parseSubject('user:erin@example.com'),
          role: 'viewer',
          namespaces: ['x'],
        }),
      new RegExp(
        String.raw`erin@example\.com is a member in 2 teams: team checkout \(teams\/multi\.yaml\), team search ` +
          String.raw`\(teams\/multi\.yaml\); choose one with --team NAME`,
      ),
    );
  });

  function grantTwice(req: GrantRequest): EditPlan {
    const first = validated(applyChanges(files, planGrant(files, model, req).changes));
    return planGrant(first.files, first.model, req);
  }
});

function validated(files: RepoFile[]): { files: RepoFile[]; model: Model } {
  const result = validateRepo(files, { now: NOW });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.ok(result.model && errors.length === 0, JSON.stringify(errors, null, 1));
  return { files, model: result.model };
}

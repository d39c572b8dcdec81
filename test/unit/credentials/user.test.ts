import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { CredentialError } from '../../../src/credentials/errors.js';
import { planUserCertificate } from '../../../src/credentials/user.js';
import type { Model } from '../../../src/model/types.js';
import { acmeModel, NOW, team, withTeam } from '../../support/models.js';

function plan(model: Model, user: string, cluster: string, requestedSeconds = 8 * 3600, now = NOW) {
  const c = model.clusters.find((x) => x.name === cluster)!;
  const access = compile(model, [{ name: cluster }], now).clusters[0]!.access;
  return planUserCertificate({ model, cluster: c, user, access, requestedSeconds, now });
}

function refusal(fn: () => unknown): { reason: string; exitCode: number; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CredentialError, String(err));
    return { reason: (err.data as { reason: string }).reason, exitCode: err.exitCode, message: err.message };
  }
  assert.fail('no refusal');
}

describe('user certificates: who and how long', () => {
  it("names the user with the cluster's userPrefix and exactly the groups of the teams that list them", () => {
    const p = plan(acmeModel(), 'alice@example.com', 'prod-eu');
    assert.equal(p.commonName, 'oidc:alice@example.com');
    assert.deepEqual(p.organizations, ['oidc:payments-eng']);
    const staging = plan(acmeModel(), 'alice@example.com', 'staging-eu');
    assert.equal(staging.commonName, 'alice@example.com');
    assert.deepEqual(staging.organizations, ['payments-eng']);
  });

  it('refuses, with exit 2, a user no Team declares', () => {
    const r = refusal(() => plan(acmeModel(), 'mallory@example.com', 'prod-eu'));
    assert.equal(r.reason, 'unknown-user');
    assert.equal(r.exitCode, 2);
    assert.match(r.message, /user mallory@example\.com: no Team declares this user/);
  });

  it('refuses a suspended user, and leaves suspended groups out of the certificate', () => {
    const src = { file: 's.yaml', doc: 0, line: 1, col: 1 };
    const subjects = { users: ['alice@example.com'], groups: [], serviceAccounts: [], tokens: [] };
    const model = { ...acmeModel(), suspensions: [{ name: 'leave', reason: 'on leave', subjects, source: src }] };
    assert.equal(refusal(() => plan(model, 'alice@example.com', 'prod-eu')).reason, 'suspended');
    const groupOnly = { users: [], groups: ['payments-eng'], serviceAccounts: [], tokens: [] };
    const withGroup = { ...acmeModel(), suspensions: [{ name: 'g', reason: 'r', subjects: groupOnly, source: src }] };
    assert.deepEqual(plan(withGroup, 'alice@example.com', 'prod-eu').organizations, []);
  });

  it('caps the lifetime by the request, Settings maxUserCertLifetime, and the first grant expiry less a minute', () => {
    assert.deepEqual(pick(plan(acmeModel(), 'alice@example.com', 'prod-eu', 3600)), [3600, 'duration']);
    assert.deepEqual(pick(plan(acmeModel(), 'alice@example.com', 'prod-eu', 7 * 24 * 3600)), [
      86_400,
      'maxUserCertLifetime',
    ]);
    // An on-call grant that ends 2026-09-01 on prod-eu: a day before, the request is shorter; an hour before, it caps.
    const acme = acmeModel();
    const oncall = {
      role: 'owner',
      namespaces: ['incidents'],
      clusters: { names: ['prod-eu'] },
      expires: '2026-09-01T00:00:00Z',
    };
    const model = { ...acme, teams: [...acme.teams, team('oncall', { users: ['alice@example.com'] }, [oncall])] };
    const dayBefore = plan(model, 'alice@example.com', 'prod-eu', 8 * 3600, new Date('2026-08-31T00:00:00Z'));
    assert.deepEqual(pick(dayBefore), [8 * 3600, 'duration']);
    const late = plan(model, 'alice@example.com', 'prod-eu', 8 * 3600, new Date('2026-08-31T23:00:00Z'));
    assert.deepEqual(pick(late), [3600 - 60, 'grant-expiry']);
    assert.equal(late.grantExpiry?.toISOString(), '2026-09-01T00:00:00.000Z');
    const tooLate = new Date('2026-08-31T23:55:00Z');
    assert.equal(refusal(() => plan(model, 'alice@example.com', 'prod-eu', 8 * 3600, tooLate)).reason, 'too-short');
  });

  it('refuses a cluster where nothing reaches the user, and system: groups', () => {
    const acme = acmeModel();
    const model = {
      ...acme,
      teams: [
        ...acme.teams,
        team('us-only', { users: ['zed@example.com'] }, [
          { role: 'viewer', namespaces: ['web'], clusters: { names: ['prod-us'] } },
        ]),
      ],
    };
    assert.equal(refusal(() => plan(model, 'zed@example.com', 'prod-eu')).reason, 'no-access');
    assert.equal(plan(model, 'zed@example.com', 'prod-us').commonName, 'oidc:zed@example.com');
    const masters = withTeam(model, 'payments', (t) => ({
      ...t,
      members: { ...t.members, groups: [...t.members.groups, 'system:masters'] },
    }));
    const r = refusal(() => plan(masters, 'alice@example.com', 'staging-eu'));
    assert.equal(r.reason, 'system-group');
  });
});

function pick(p: { expirationSeconds: number; limitedBy: string }): [number, string] {
  return [p.expirationSeconds, p.limitedBy];
}

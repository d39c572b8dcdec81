import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Grant, Model } from '../../../src/model/types.js';
import { AuditLogError, countUsage, renderUsageJson, renderUsageText } from '../../../src/usage/index.js';
import type { UsageReport } from '../../../src/usage/report.js';
import { assertGolden } from '../../support/golden.js';
import { acmeModel, withTeam } from '../../support/models.js';

const NOW = new Date('2026-03-01T00:00:00Z');

interface EventSpec {
  user: string;
  groups?: string[];
  verb: string;
  resource?: string;
  group?: string;
  namespace?: string;
  name?: string;
  uri?: string;
  at: string;
  code?: number;
  stage?: string;
  impersonated?: string;
}

/** One audit.k8s.io/v1 Event line as kube-apiserver writes it at Metadata level. */
function event(e: EventSpec): string {
  const objectRef = e.resource
    ? {
        resource: e.resource,
        ...(e.namespace ? { namespace: e.namespace } : {}),
        ...(e.name ? { name: e.name } : {}),
        ...(e.group ? { apiGroup: e.group } : {}),
        apiVersion: 'v1',
      }
    : undefined;
  const code = e.code ?? 200;
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `${e.at}-${e.user}`,
    stage: e.stage ?? 'ResponseComplete',
    requestURI: e.uri ?? `/api/v1/namespaces/${e.namespace ?? ''}/${e.resource ?? ''}`,
    verb: e.verb,
    user: { username: e.user, groups: [...(e.groups ?? []), 'system:authenticated'] },
    ...(e.impersonated ? { impersonatedUser: { username: e.impersonated, groups: ['system:authenticated'] } } : {}),
    ...(objectRef ? { objectRef } : {}),
    responseStatus: { code },
    requestReceivedTimestamp: e.at,
    stageTimestamp: e.at,
    annotations: { 'authorization.k8s.io/decision': code === 403 ? 'forbid' : 'allow' },
  });
}

const LOG = [
  // alice through the pattern payments-* (prod-eu prefixes users and groups with oidc:)
  event({
    user: 'oidc:alice@example.com',
    groups: ['oidc:payments-eng'],
    verb: 'list',
    resource: 'pods',
    namespace: 'payments-api',
    at: '2026-02-20T10:00:00Z',
  }),
  event({
    user: 'oidc:alice@example.com',
    groups: ['oidc:payments-eng'],
    verb: 'get',
    resource: 'pods',
    namespace: 'payments',
    name: 'p',
    at: '2026-02-21T10:00:00Z',
  }),
  // dave is only in the group payments-eng
  event({
    user: 'oidc:dave@example.com',
    groups: ['oidc:payments-eng'],
    verb: 'get',
    resource: 'configmaps',
    namespace: 'payments',
    at: '2026-02-22T09:00:00Z',
  }),
  // a ResponseStarted event of a watch: not a second request
  event({
    user: 'oidc:alice@example.com',
    verb: 'watch',
    resource: 'pods',
    namespace: 'payments',
    at: '2026-02-22T11:00:00Z',
    stage: 'ResponseStarted',
  }),
  // the token's ServiceAccount deploying
  event({
    user: 'system:serviceaccount:roster-tokens:ci-deployer',
    groups: ['system:serviceaccounts'],
    verb: 'patch',
    resource: 'deployments',
    group: 'apps',
    namespace: 'payments',
    at: '2026-02-23T12:00:00Z',
  }),
  // denied: alice may not delete nodes
  event({ user: 'oidc:alice@example.com', verb: 'delete', resource: 'nodes', at: '2026-02-24T08:00:00Z', code: 403 }),
  // allowed by something Roster does not manage
  event({ user: 'system:kube-controller-manager', verb: 'list', resource: 'nodes', at: '2026-02-24T09:00:00Z' }),
  // admin impersonating carol, who is in no team: allowed outside Roster, credited to carol
  event({
    user: 'admin',
    impersonated: 'oidc:carol@example.com',
    verb: 'get',
    resource: 'pods',
    namespace: 'kube-system',
    at: '2026-02-24T10:00:00Z',
  }),
  // before --since
  event({
    user: 'oidc:bob@example.com',
    verb: 'get',
    resource: 'pods',
    namespace: 'payments',
    at: '2025-12-01T00:00:00Z',
  }),
  'not json at all',
].join('\n');

describe('usage: audit logs credited to Roster grants', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-usage-'));
    writeFileSync(join(dir, 'audit.log'), `${LOG}\n`);
    writeFileSync(join(dir, 'audit.log.gz'), gzipSync(`${LOG}\n`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function report(file = 'audit.log', model: Model = acmeModel()): Promise<UsageReport> {
    const cluster = model.clusters.find((c) => c.name === 'prod-eu')!;
    return countUsage({
      model,
      logs: [{ cluster, file: join(dir, file) }],
      now: NOW,
      unusedForDays: 30,
      since: new Date('2026-01-01T00:00:00Z'),
    });
  }

  const grant = (r: UsageReport, holder: string, role: string, namespace?: string) =>
    r.grants.find((g) => g.holder.name === holder && g.role === role && g.namespace === namespace);

  it('credits each allowed request to every Roster grant that allows it, patterns included', async () => {
    const r = await report();
    assert.deepEqual(
      {
        count: grant(r, 'payments', 'editor', 'payments-*')?.count,
        last: grant(r, 'payments', 'editor', 'payments-*')?.lastUsed,
      },
      { count: 1, last: '2026-02-20T10:00:00Z' },
    );
    // get pods and get configmaps in payments: the editor grant by name, and the token's own deployer grant
    assert.equal(grant(r, 'payments', 'editor', 'payments')?.count, 2);
    assert.equal(grant(r, 'ci-deployer', 'deployer', 'payments')?.count, 1);
  });

  it('credits the members the bindings matched, without SSO prefixes', async () => {
    const r = await report();
    const member = (name: string) => r.members.find((m) => m.team === 'payments' && m.member.name === name);
    assert.equal(member('alice@example.com')?.count, 2);
    assert.equal(member('dave@example.com'), undefined, 'dave is no member by name: the group let him in');
    assert.equal(member('bob@example.com')?.count, 0, 'bob made one request, before --since');
    assert.equal(member('bob@example.com')?.unused, true);
    assert.equal(member('bob@example.com')?.revoke, 'roster revoke user:bob@example.com --team payments');
  });

  it("counts an access token's uses and last use, as Kalm's usedCount and lastUsedAt", async () => {
    const r = await report();
    const ci = r.tokens.find((t) => t.token === 'ci-deployer');
    assert.deepEqual([ci?.count, ci?.lastUsed, ci?.unused], [1, '2026-02-23T12:00:00Z', false]);
  });

  it('reports requests allowed outside Roster apart, by the identity RBAC authorized', async () => {
    const r = await report();
    assert.deepEqual(
      r.outside.map((o) => [o.user, o.count]),
      [
        ['oidc:carol@example.com', 1],
        ['system:kube-controller-manager', 1],
      ],
    );
  });

  it('never lets a pattern reach a protected namespace', async () => {
    const everywhere: Grant = {
      role: 'owner',
      namespaces: ['*'],
      clusters: { all: true },
      index: 9,
      source: { file: 'teams/platform.yaml', doc: 0, line: 1, col: 1 },
    };
    const model = withTeam(acmeModel(), 'platform', (t) => ({ ...t, grants: [...t.grants, everywhere] }));
    const r = await report('audit.log', model);
    assert.equal(grant(r, 'platform', 'owner', '*')?.count, 0, 'carol is not in platform');
    assert.equal(r.outside.find((o) => o.user === 'oidc:carol@example.com')?.count, 1);
  });

  it('lists unused grants with the revoke command that removes each', async () => {
    const r = await report();
    const unused = grant(r, 'platform', 'node-reader');
    assert.equal(unused?.unused, true);
    assert.equal(unused?.revoke, 'roster revoke group:platform node-reader -l env=prod --team platform');
    assert.equal(grant(r, 'payments', 'editor', 'payments-*')?.revoke, undefined);
    assert.equal(r.shortCoverage, true, 'a log of a few days cannot show 30 days of disuse');
  });

  it('accounts for every line: totals add up', async () => {
    const t = (await report()).totals;
    assert.deepEqual(t, {
      lines: 10,
      malformed: 1,
      otherStages: 1,
      beforeSince: 1,
      requests: 7,
      allowed: 6,
      denied: 1,
      byRoster: 4,
      outsideRoster: 2,
    });
    assert.equal(t.lines, t.malformed + t.otherStages + t.beforeSince + t.requests);
  });

  it('reads gzip logs the same as plain ones', async () => {
    const plain = await report('audit.log');
    const gz = await report('audit.log.gz');
    const named = (r: UsageReport, file: string) => ({
      ...r,
      clusters: [],
      malformed: r.malformed.map((m) => ({ ...m, file: m.file.endsWith(file) ? 'log' : m.file })),
    });
    assert.deepEqual(named(gz, 'audit.log.gz'), named(plain, 'audit.log'));
  });

  it('renders text and JSON deterministically', async () => {
    const r = await report();
    r.clusters = r.clusters.map((c) => ({ ...c, files: ['audit.log'] }));
    r.malformed = r.malformed.map((m) => ({ ...m, file: 'audit.log' }));
    assertGolden('usage/report.txt', renderUsageText(r));
    assertGolden('usage/report.json', renderUsageJson(r));
  });

  it('says which file it cannot read', async () => {
    await assert.rejects(report('missing.log'), (err: unknown) => {
      assert.ok(err instanceof AuditLogError);
      assert.match(err.message, /missing\.log: cannot open the audit log: no such file/);
      return true;
    });
  });
});

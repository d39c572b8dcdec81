/**
 * `roster usage` over the real API server's audit log: after real requests as several users, a hand-made binding
 * and an access token, each request is credited to the grant that allowed it, unused grants and members are listed
 * with their revoke command, and the totals equal what the log holds.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run } from '../../src/cli/main.js';
import { apiRequest, type Endpoint } from '../harness/http.js';
import { accessRepoYaml, inMinutes, type AccessRepoSpec } from './access-support.js';
import { controlPlane } from './fixtures.js';
import { RBAC, cleanUp, createNamespace, podReader, roster, TempRepo, unique } from './reconcile-support.js';
import type { GrantUsage, MemberUsage, UsageReport } from '../../src/usage/report.js';

/** The part of a minted kubeconfig the test reads. */
interface MintedKubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ user: { token: string } }>;
}

describe('roster usage: audit logs of a real API server', function () {
  const id = unique('use').slice(4);
  const nsA = `use-a-${id}`;
  const nsB = `use-b-${id}`;
  const tokenNamespace = `use-tokens-${id}`;
  const role = `use-pod-reader-${id}`;
  const spec: AccessRepoSpec = {
    instance: `it-usage-${id}`,
    tokenNamespace,
    roles: [podReader(role)],
    teams: [
      {
        name: 'payments',
        users: ['alice@example.com'],
        groups: ['payments-eng'],
        grants: [{ role, namespaces: [nsA, nsB] }],
      },
      { name: 'ops', users: ['bob@example.com'], grants: [{ role, namespaces: [nsB] }] },
      { name: 'idle', groups: [`idle-${id}`], grants: [{ role, namespaces: [nsB], clusters: { names: ['east'] } }] },
    ],
    tokens: [{ name: 'ci', owner: 'payments', expires: inMinutes(24 * 60), grants: [{ role, namespaces: [nsA] }] }],
  };
  let repo: TempRepo;
  let report: UsageReport;
  let window: Array<{ user: string; code: number }>;

  before(async function () {
    const cp = controlPlane();
    for (const ns of [nsA, nsB]) await createNamespace('east', ns);
    repo = new TempRepo(accessRepoYaml(spec));
    const applied = await roster(repo, 'apply', '--cluster', 'east');
    assert.equal(applied.code, 0, `roster apply failed:\n${applied.out}\n${applied.err}`);
    await handMadeBindingForCarol();
    await cp.waitForAccess({
      cluster: 'east',
      user: 'bob',
      verb: 'list',
      resource: 'pods',
      namespace: nsB,
      expected: true,
    });
    await cp.waitForAccess({
      cluster: 'east',
      user: 'carol',
      verb: 'list',
      resource: 'configmaps',
      namespace: nsA,
      expected: true,
    });
    const token = await mintToken();

    const since = new Date();
    for (let i = 0; i < 3; i++)
      await expectStatus(cp.request('east', 'GET', `/api/v1/namespaces/${nsA}/pods`, undefined, { as: 'alice' }), 200);
    for (let i = 0; i < 2; i++)
      await expectStatus(cp.request('east', 'GET', `/api/v1/namespaces/${nsB}/pods`, undefined, { as: 'bob' }), 200);
    await expectStatus(
      cp.request('east', 'GET', `/api/v1/namespaces/${nsA}/configmaps`, undefined, { as: 'carol' }),
      200,
    );
    await expectStatus(cp.request('east', 'GET', `/api/v1/namespaces/${nsA}/pods`, undefined, { as: 'carol' }), 403);
    for (let i = 0; i < 2; i++) await expectStatus(apiRequest(token, 'GET', `/api/v1/namespaces/${nsA}/pods`), 200);
    await expectStatus(apiRequest(token, 'GET', `/api/v1/namespaces/${nsA}/secrets`), 403);

    // Everything answered so far is in the log once the harness's flush marker is; then freeze a copy.
    await cp.auditEvents('east', { since });
    const copy = join(repo.dir, 'east-audit.log');
    copyFileSync(cp.auditLogPath('east'), copy);
    window = countedRequests(copy, since);
    const res = await usage(repo, ['--audit-log', `east=${copy}`, '--since', since.toISOString(), '--unused-for', '1']);
    assert.equal(res.code, 0, res.err);
    report = JSON.parse(res.out) as UsageReport;

    async function mintToken(): Promise<Endpoint> {
      const file = join(repo.dir, 'ci.kubeconfig');
      const minted = await roster(repo, 'token', 'kubeconfig', 'ci', '--cluster', 'east', '-o', file);
      assert.equal(minted.code, 0, minted.err);
      const kc = parse(readFileSync(file, 'utf8')) as MintedKubeconfig;
      const cluster = kc.clusters[0]?.cluster;
      const token = kc.users[0]?.user.token;
      assert.ok(cluster && token, 'the minted kubeconfig has a cluster and a token');
      return {
        cluster: 'east',
        server: cluster.server,
        ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
        token,
      };
    }
  });

  after(async function () {
    repo.remove();
    await cleanUp(spec.instance, [nsA, nsB, tokenNamespace]);
  });

  async function handMadeBindingForCarol(): Promise<void> {
    const cp = controlPlane();
    const rules = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }];
    const made = await cp.request('east', 'POST', `${RBAC}/namespaces/${nsA}/roles`, {
      metadata: { name: 'hand-made' },
      rules,
    });
    assert.equal(made.status, 201);
    const bound = await cp.request('east', 'POST', `${RBAC}/namespaces/${nsA}/rolebindings`, {
      metadata: { name: 'hand-made' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'hand-made' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'carol@example.com' }],
    });
    assert.equal(bound.status, 201);
  }

  const grant = (holder: string, namespace: string): GrantUsage => {
    const found = report.grants.find(
      (g) => g.holder.name === holder && g.namespace === namespace && g.cluster === 'east',
    );
    assert.ok(found, `no grant of ${holder} in ${namespace} on east`);
    return found;
  };
  const member = (team: string, name: string): MemberUsage => {
    const found = report.members.find((m) => m.team === team && m.member.name === name);
    assert.ok(found, `no member ${name} of team ${team}`);
    return found;
  };

  it('credits each request to the grant that allowed it', function () {
    assert.equal(grant('payments', nsA).count, 3, 'alice listed pods in A three times');
    assert.equal(grant('ops', nsB).count, 2, 'bob listed pods in B twice');
    assert.equal(grant('ci', nsA).count, 2, 'the token listed pods in A twice');
    assert.equal(grant('payments', nsB).count, 0, 'nobody used payments in B');
    assert.ok(Date.parse(grant('payments', nsA).lastUsed ?? '') >= Date.parse(report.since ?? ''));
  });

  it('credits the members the bindings matched, and the access token', function () {
    assert.equal(member('payments', 'alice@example.com').count, 3);
    assert.equal(member('payments', 'payments-eng').count, 3, 'alice carries the group too');
    assert.equal(member('ops', 'bob@example.com').count, 2);
    const ci = report.tokens.find((t) => t.token === 'ci');
    assert.equal(ci?.count, 3, 'two allowed and one denied request made with the token');
    assert.equal(ci?.unused, false);
  });

  it('lists unused grants and members with the revoke command for each', function () {
    assert.equal(
      grant('payments', nsB).revoke,
      `roster revoke user:alice@example.com ${role} -n ${nsB} --team payments`,
    );
    assert.equal(
      grant('idle', nsB).revoke,
      `roster revoke group:idle-${id} ${role} -n ${nsB} --clusters east --team idle`,
    );
    assert.equal(member('idle', `idle-${id}`).revoke, `roster revoke group:idle-${id} --team idle`);
    assert.equal(grant('payments', nsA).revoke, undefined);
  });

  it('reports requests allowed only by a binding Roster does not manage apart', function () {
    const carol = report.outside.find((o) => o.user === 'carol@example.com');
    assert.equal(carol?.count, 1);
    assert.equal(
      report.members.find((m) => m.member.name === 'carol@example.com'),
      undefined,
    );
  });

  it('accounts for exactly the requests the log holds', function () {
    const t = report.totals;
    assert.equal(t.requests, window.length, 'every completed request since --since, once');
    assert.equal(t.denied, window.filter((e) => e.code === 403).length);
    assert.equal(t.allowed + t.denied, t.requests);
    assert.equal(t.byRoster + t.outsideRoster, t.allowed);
    assert.equal(t.malformed, 0);
    const byUser = (u: string) => window.filter((e) => e.user === u).length;
    assert.equal(byUser('alice@example.com'), 3);
    assert.equal(
      report.outside.reduce((n: number, o) => n + o.count, 0),
      t.outsideRoster,
    );
  });
});

/** `roster usage` reads files only: no --kubeconfig, unlike the reconcile commands the shared helper runs. */
async function usage(repo: TempRepo, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
  const code = await run(['usage', ...args, '--repo', repo.dir, '-o', 'json'], io);
  return { code, out, err };
}

async function expectStatus(res: Promise<{ status: number }>, status: number): Promise<void> {
  assert.equal((await res).status, status);
}

/** The fields of a kube-apiserver audit event this test reads. */
interface AuditLine {
  stage: string;
  requestReceivedTimestamp: string;
  user: { username: string };
  impersonatedUser?: { username: string };
  responseStatus?: { code?: number };
}

/** Completed requests received at or after `since`, read straight from the file (independently of Roster). */
function countedRequests(file: string, since: Date): Array<{ user: string; code: number }> {
  const out: Array<{ user: string; code: number }> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as AuditLine;
    if (e.stage !== 'ResponseComplete' && e.stage !== 'Panic') continue;
    if (Date.parse(e.requestReceivedTimestamp) < since.getTime()) continue;
    out.push({ user: (e.impersonatedUser ?? e.user).username, code: e.responseStatus?.code ?? 0 });
  }
  return out;
}

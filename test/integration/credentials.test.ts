/**
 * People's credentials on the real control plane (kube-controller-manager signs the CertificateSigningRequests):
 * `roster kubeconfig --user` mints a client certificate that can do what the user's teams allow and nothing else,
 * `roster whoami` names the identity the API server sees, and a Suspension cuts a person and a token off on the next
 * apply, lifting it restores the person, and a suspended token's earlier kubeconfig stops authenticating.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run } from '../../src/cli/main.js';
import { apiRequest, type Endpoint } from '../harness/http.js';
import { pollUntil } from '../harness/poll.js';
import { accessRepoYaml, inMinutes, type AccessRepoSpec } from './access-support.js';
import { controlPlane } from './fixtures.js';
import {
  cleanUp,
  createNamespace,
  podReader,
  roster,
  rosterJson,
  TempRepo,
  unique,
  type CliResult,
} from './reconcile-support.js';

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: Record<string, string> }>;
}

function endpointOf(file: string): Endpoint {
  const kc = parse(readFileSync(file, 'utf8')) as Kubeconfig;
  const cluster = kc.clusters[0]!;
  const user = kc.users[0]!.user;
  const ep: Endpoint = {
    cluster: cluster.name,
    server: cluster.cluster.server,
    ca: Buffer.from(cluster.cluster['certificate-authority-data'], 'base64'),
  };
  if (user.token) ep.token = user.token;
  if (user['client-certificate-data']) {
    ep.cert = Buffer.from(user['client-certificate-data'], 'base64');
    ep.key = Buffer.from(user['client-key-data']!, 'base64');
  }
  return ep;
}

/** `roster whoami`: its --kubeconfig is the file to identify, so the operator's goes in --operator-kubeconfig. */
async function whoami(repo: TempRepo, file: string, ...args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
  const argv = ['whoami', '--kubeconfig', file, '--repo', repo.dir, '--operator-kubeconfig'];
  const code = await run([...argv, controlPlane().kubeconfigPath, ...args], io);
  return { code, out, err };
}

describe('people: roster kubeconfig --user, whoami, suspensions', function () {
  const instance = unique('it-cred');
  const tokenNamespace = unique('tokens');
  const allowed = unique('cred-ok');
  const other = unique('cred-no');
  const role = unique('cred-pod-reader');
  const group = unique('cred-grp');
  const ci = unique('ci');
  const oncallEnds = inMinutes(50);
  const spec: AccessRepoSpec = {
    instance,
    tokenNamespace,
    settings: { maxUserCertLifetime: '1h' },
    roles: [podReader(role)],
    teams: [
      // Bob keeps every cluster's desired state non-empty while alice is suspended (an empty one is refused).
      { name: 'ops', users: ['bob@example.com'], grants: [{ role, namespaces: [other] }] },
      { name: 'payments', users: ['alice@example.com'], groups: [group], grants: [{ role, namespaces: [allowed] }] },
      {
        name: 'oncall',
        users: ['alice@example.com'],
        grants: [{ role, namespaces: [other], clusters: { names: ['west'] }, expires: stamp(oncallEnds) }],
      },
    ],
    tokens: [
      {
        name: ci,
        owner: 'payments',
        expires: inMinutes(30 * 24 * 60),
        grants: [{ role, namespaces: [allowed], clusters: { names: ['east'] } }],
      },
    ],
  };
  const suspendAlice = {
    name: 'alice-offboarding',
    reason: 'offboarding, ticket OPS-1',
    subjects: { users: ['alice@example.com'], groups: [group] },
  };
  let repo: TempRepo;

  before(async function () {
    for (const cluster of ['east', 'west']) for (const ns of [allowed, other]) await createNamespace(cluster, ns);
    repo = new TempRepo(accessRepoYaml(spec));
    const applied = await roster(repo, 'apply');
    assert.equal(applied.code, 0, `roster apply failed:\n${applied.out}\n${applied.err}`);
  });

  after(async function () {
    repo.remove();
    await cleanUp(instance, [allowed, other, tokenNamespace]);
  });

  async function mintUser(user: string, cluster: string, ...args: string[]) {
    const file = join(repo.dir, `${user}@${cluster}.kubeconfig`);
    rmSync(file, { force: true });
    const res = await roster(repo, 'kubeconfig', '--user', user, '--cluster', cluster, '-o', file, ...args);
    return { ...res, file };
  }

  it('mints a 0600 user kubeconfig that can do what her teams allow and gets 403 elsewhere', async function () {
    const { code, out, err, file } = await mintUser('alice@example.com', 'east', '--duration', '8h');
    assert.equal(code, 0, err);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const ep = endpointOf(file);
    for (const secret of [ep.cert!.toString(), ep.key!.toString(), ep.cert!.toString('base64')]) {
      const body = secret.split('\n')[1]!; // a line of the PEM body
      assert.ok(!out.includes(body) && !err.includes(body), 'a certificate or key was printed');
    }
    assert.match(err, /cannot be revoked before it expires \(kubernetes\/kubernetes#18982\)/);

    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 200);
    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/secrets`)).status, 403);
    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${other}/pods`)).status, 403);
  });

  it('puts exactly the user and groups Git gives her in the certificate, and leaves no CSR behind', async function () {
    const { code, err, file } = await mintUser('alice@example.com', 'east');
    assert.equal(code, 0, err);
    const cert = new X509Certificate(endpointOf(file).cert!);
    assert.equal(cert.subject, `O=${group}\nCN=alice@example.com`);
    const csrs = await controlPlane().request('east', 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests');
    const items = (csrs.body as { items: Meta[] }).items;
    const left = items.filter((c) => c.metadata.annotations?.['roster.dev/instance'] === instance);
    assert.deepEqual(left, [], 'a CertificateSigningRequest was left on the cluster');
  });

  it('caps notAfter at Settings maxUserCertLifetime, and at her earliest grant expiry', async function () {
    const before = Date.now();
    const east = await mintUser('alice@example.com', 'east', '--duration', '8h');
    const after = Date.now();
    assert.equal(east.code, 0, east.err);
    const notAfter = new Date(new X509Certificate(endpointOf(east.file).cert!).validTo).getTime();
    // X.509 times have whole seconds; the signer counts from when it signs, between before and after.
    assert.ok(notAfter >= before + 3600_000 - 1000 && notAfter <= after + 3600_000, `notAfter ${iso(notAfter)}`);
    assert.match(east.err, /capped by Settings maxUserCertLifetime/);

    const west = await mintUser('alice@example.com', 'west', '--duration', '8h');
    assert.equal(west.code, 0, west.err);
    const westAfter = new Date(new X509Certificate(endpointOf(west.file).cert!).validTo).getTime();
    const grantEnds = oncallEnds.getTime();
    assert.ok(westAfter <= grantEnds && westAfter >= grantEnds - 60_000 - 5000, `west notAfter ${iso(westAfter)}`);
    assert.match(west.err, /capped by the user's earliest grant expiry/);
  });

  it('refuses a user no Team declares with exit 2, and sends no request at all', async function () {
    const since = new Date();
    const { code, err, file } = await mintUser('mallory@example.com', 'east');
    assert.equal(code, 2, err);
    assert.match(err, /user mallory@example\.com: no Team declares this user/);
    assert.throws(() => statSync(file), 'a kubeconfig was written');
    const csrRequests = await controlPlane().auditEvents('east', { since, resource: 'certificatesigningrequests' });
    assert.deepEqual(csrRequests, []);
  });

  it('whoami names the user and groups the API server sees, then her access tree, desired and live', async function () {
    const { file } = await mintUser('alice@example.com', 'east');
    const desired = await whoami(repo, file, '--no-rules');
    assert.equal(desired.code, 0, desired.err);
    assert.match(desired.out, new RegExp(`as User=alice@example\\.com Groups=${group},system:authenticated\\n`));
    assert.match(desired.out, new RegExp(`\\[RoleBinding\\] {2}${allowed}/roster:team:payments:${role}`));
    assert.doesNotMatch(desired.out, /\[Cluster\] {2}west/, 'the file points at east only');
    const live = await whoami(repo, file, '--live', '--no-rules');
    assert.equal(live.code, 0, live.err);
    assert.match(live.out, new RegExp(`\\[RoleBinding\\] {2}${allowed}/roster:team:payments:${role}`));
  });

  it('whoami works for a token kubeconfig and for the admin too', async function () {
    const tokenFile = join(repo.dir, 'ci.kubeconfig');
    rmSync(tokenFile, { force: true });
    const minted = await roster(repo, 'kubeconfig', '--token', ci, '--cluster', 'east', '-o', tokenFile);
    assert.equal(minted.code, 0, minted.err);
    const token = await whoami(repo, tokenFile, '--no-rules');
    assert.equal(token.code, 0, token.err);
    assert.match(token.out, new RegExp(`as User=system:serviceaccount:${tokenNamespace}:${ci} `));
    assert.match(token.out, new RegExp(`\\[RoleBinding\\] {2}${allowed}/roster:token:${ci}:${role}`));
    const admin = await whoami(repo, controlPlane().kubeconfigPath, '--context', 'west', '--no-rules');
    assert.equal(admin.code, 0, admin.err);
    assert.match(admin.out, /as User=admin Groups=system:masters,system:authenticated\n/);
  });

  it('suspending alice removes her access everywhere on the next apply; lifting it restores it', async function () {
    const cp = controlPlane();
    const { file } = await mintUser('alice@example.com', 'east');
    const cert = endpointOf(file);
    const asAlice = { user: 'alice@example.com', verb: 'list', resource: 'pods' };

    repo.write(accessRepoYaml({ ...spec, suspensions: [suspendAlice] }));
    const plan = await roster(repo, 'plan');
    assert.match(
      plan.out,
      /User alice@example\.com: suspended by Suspension alice-offboarding: offboarding, ticket OPS-1/,
    );
    // The JSON of a live plan and apply says the same as the text.
    const planJson = await rosterJson(repo, 'plan');
    const alice = planJson.json.suspended.find((s) => s.kind === 'User' && s.name === 'alice@example.com');
    assert.ok(alice, `plan -o json does not list alice as suspended: ${JSON.stringify(planJson.json.suspended)}`);
    assert.equal(alice.suspension, 'alice-offboarding');
    assert.equal(alice.reason, 'offboarding, ticket OPS-1');
    assert.match(alice.source, /:\d+:\d+$/);
    const applied = await rosterJson(repo, 'apply');
    assert.equal(applied.code, 0, `${JSON.stringify(applied.json)}\n${applied.err}`);
    assert.ok(
      applied.json.suspended.some((s) => s.name === 'alice@example.com'),
      'apply -o json lists alice',
    );
    await cp.waitForAccess({ ...asAlice, cluster: 'east', namespace: allowed, expected: false });
    await cp.waitForAccess({ ...asAlice, cluster: 'west', namespace: allowed, expected: false });
    await cp.waitForAccess({ ...asAlice, cluster: 'west', namespace: other, expected: false });
    await eventually(async () => (await apiRequest(cert, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 403);
    const token = await cp.request('west', 'GET', `/api/v1/namespaces/${other}/pods`, undefined, { as: 'alice' });
    assert.equal(token.status, 403, "alice's own login on west");

    const access = await roster(repo, 'access', '--user', 'alice@example.com', '--cluster', 'east', '--no-rules');
    assert.match(access.out, /note: User alice@example\.com is suspended by Suspension alice-offboarding/);
    const canI = await roster(repo, 'can-i', 'list', 'pods', '-n', allowed, '--as', 'alice@example.com', '--live');
    assert.equal(canI.out, 'east: no\nwest: no\n');
    assert.match(canI.err, /suspended by Suspension alice-offboarding/);
    const refused = await mintUser('alice@example.com', 'east');
    assert.equal(refused.code, 2);
    assert.match(refused.err, /suspended by Suspension alice-offboarding/);

    repo.write(accessRepoYaml(spec));
    const lifted = await rosterJson(repo, 'apply');
    assert.equal(lifted.code, 0, `${JSON.stringify(lifted.json)}\n${lifted.err}`);
    assert.deepEqual(lifted.json.suspended, [], 'nobody is suspended once it is lifted');
    await cp.waitForAccess({ ...asAlice, cluster: 'east', namespace: allowed, expected: true });
    await cp.waitForAccess({ ...asAlice, cluster: 'west', namespace: other, expected: true });
    await eventually(async () => (await apiRequest(cert, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 200);
  });

  it("replaces a suspended token's ServiceAccount (old kubeconfig: 401), and again when lifted", async function () {
    const earlier = join(repo.dir, 'ci-earlier.kubeconfig');
    rmSync(earlier, { force: true });
    const minted = await roster(repo, 'kubeconfig', '--token', ci, '--cluster', 'east', '-o', earlier);
    assert.equal(minted.code, 0, minted.err);
    const ep = endpointOf(earlier);
    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 200);
    const saPath = `/api/v1/namespaces/${tokenNamespace}/serviceaccounts/${ci}`;
    const readSa = async (): Promise<Meta> => (await controlPlane().request('east', 'GET', saPath)).body as Meta;
    const uidBefore = (await readSa()).metadata.uid;

    const suspension = { name: 'ci-leak', reason: 'token leaked in a build log', subjects: { tokens: [ci] } };
    repo.write(accessRepoYaml({ ...spec, suspensions: [suspension] }));
    const applied = await roster(repo, 'apply');
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    assert.match(applied.out, /suspension changed: the ServiceAccount is replaced/);
    const suspendedSa = await readSa();
    assert.notEqual(suspendedSa.metadata.uid, uidBefore, 'the ServiceAccount was not replaced');
    assert.equal(suspendedSa.metadata.annotations?.['roster.dev/suspended'], 'ci-leak');
    await eventually(async () => (await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 401);
    const who = await whoami(repo, earlier, '--no-rules');
    assert.equal(who.code, 3, who.err);
    assert.match(
      who.err,
      /SelfSubjectReview: create failed: Unauthorized: .* does not accept the credentials of kubeconfig/,
    );
    assert.match(who.err, /has expired, was invalidated \(a suspended or removed AccessToken\)/);
    assert.ok(!who.err.includes(ep.token!) && !who.out.includes(ep.token!), 'the token was printed');
    const refused = await roster(repo, 'kubeconfig', '--token', ci, '--cluster', 'east', '-o', earlier + '2');
    assert.equal(refused.code, 2);
    assert.match(refused.err, /suspended by Suspension ci-leak/);

    repo.write(accessRepoYaml(spec));
    const lifted = await roster(repo, 'apply');
    assert.equal(lifted.code, 0, `${lifted.out}\n${lifted.err}`);
    const liftedSa = await readSa();
    assert.notEqual(liftedSa.metadata.uid, suspendedSa.metadata.uid, 'lifting must replace it again');
    assert.equal(liftedSa.metadata.annotations?.['roster.dev/suspended'], undefined);
    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 401, 'still 401');
    const fresh = join(repo.dir, 'ci-fresh.kubeconfig');
    rmSync(fresh, { force: true });
    assert.equal((await roster(repo, 'kubeconfig', '--token', ci, '--cluster', 'east', '-o', fresh)).code, 0);
    await eventually(
      async () => (await apiRequest(endpointOf(fresh), 'GET', `/api/v1/namespaces/${allowed}/pods`)).status,
      200,
    );
  });
});

describe("people: a cluster's userPrefix and groupPrefix in the certificate", function () {
  const instance = unique('it-cred-prefix');
  const allowed = unique('prefix-ok');
  const other = unique('prefix-no');
  const role = unique('prefix-pod-reader');
  const group = unique('prefix-grp');
  let repo: TempRepo;

  before(async function () {
    for (const ns of [allowed, other]) await createNamespace('east', ns);
    repo = new TempRepo(
      accessRepoYaml({
        instance,
        tokenNamespace: unique('tokens'),
        clusters: [{ name: 'east' }],
        clusterSpecs: { east: { userPrefix: 'oidc:', groupPrefix: 'oidc:' } },
        roles: [podReader(role)],
        teams: [
          {
            name: 'payments',
            users: ['carol@example.com'],
            groups: [group],
            grants: [{ role, namespaces: [allowed] }],
          },
        ],
      }),
    );
    const applied = await roster(repo, 'apply');
    assert.equal(applied.code, 0, `roster apply failed:\n${applied.out}\n${applied.err}`);
  });

  after(async function () {
    repo.remove();
    await cleanUp(instance, [allowed, other]);
  });

  it('names the prefixed user and groups, which the bindings Roster applied let in (403 elsewhere)', async function () {
    const file = join(repo.dir, 'carol.kubeconfig');
    const res = await roster(repo, 'kubeconfig', '--user', 'carol@example.com', '--cluster', 'east', '-o', file);
    assert.equal(res.code, 0, res.err);
    assert.match(res.err, new RegExp(`certificate for user oidc:carol@example\\.com, groups oidc:${group};`));
    const ep = endpointOf(file);
    assert.equal(new X509Certificate(ep.cert!).subject, `O=oidc:${group}\nCN=oidc:carol@example.com`);
    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/pods`)).status, 200);
    assert.equal((await apiRequest(ep, 'GET', `/api/v1/namespaces/${other}/pods`)).status, 403);
    const who = await whoami(repo, file, '--no-rules');
    assert.equal(who.code, 0, who.err);
    assert.match(who.out, new RegExp(`as User=oidc:carol@example\\.com Groups=oidc:${group},system:authenticated\\n`));
    assert.match(who.out, new RegExp(`\\[RoleBinding\\] {2}${allowed}/roster:team:payments:${role}`));
  });
});

interface Meta {
  metadata: { uid: string; annotations?: Record<string, string> };
}

function stamp(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** RBAC and the token authenticator's cache are eventually consistent: poll the real request. */
async function eventually(status: () => Promise<number>, expected: number): Promise<void> {
  await pollUntil({
    what: `status ${expected}`,
    timeoutMs: 20_000,
    intervalMs: 200,
    probe: async () => {
      const got = await status();
      return got === expected ? true : `got ${got}`;
    },
  });
}

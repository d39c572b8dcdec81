/**
 * `roster token kubeconfig` end to end: apply a config with access tokens, mint a kubeconfig through the real
 * TokenRequest API, and make real requests with it: allowed where the token's grants say, denied elsewhere.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { apiRequest, type Endpoint } from '../harness/http.js';
import { accessRepoYaml, inMinutes, jwtClaims, type AccessRepoSpec } from './access-support.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, createNamespace, podReader, roster, TempRepo, unique } from './reconcile-support.js';

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ name: string; user: { token: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string; namespace?: string } }>;
  'current-context': string;
}

function endpointOf(file: string): Endpoint {
  const kc = parse(readFileSync(file, 'utf8')) as Kubeconfig;
  const cluster = kc.clusters[0]!;
  return {
    cluster: cluster.name,
    server: cluster.cluster.server,
    ca: Buffer.from(cluster.cluster['certificate-authority-data'], 'base64'),
    token: kc.users[0]!.user.token,
  };
}

describe('roster token kubeconfig', function () {
  const instance = unique('it-token');
  const tokenNamespace = unique('tokens');
  const allowed = unique('tok-ci');
  const other = unique('tok-other');
  const role = unique('tok-pod-reader');
  const ci = unique('ci');
  const short = unique('short');
  const spec: AccessRepoSpec = {
    instance,
    tokenNamespace,
    roles: [podReader(role)],
    teams: [
      {
        name: 'payments',
        users: ['alice@example.com'],
        grants: [{ role, namespaces: [other], clusters: { names: ['west'] } }],
      },
    ],
    tokens: [
      {
        name: ci,
        owner: 'payments',
        expires: inMinutes(30 * 24 * 60),
        grants: [{ role, namespaces: [allowed], clusters: { names: ['east'] } }],
      },
      {
        name: short,
        owner: 'payments',
        expires: inMinutes(20),
        grants: [{ role, namespaces: [allowed], clusters: { names: ['east'] } }],
      },
    ],
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

  async function mint(token: string, cluster: string, ...args: string[]) {
    const file = join(repo.dir, `${token}@${cluster}.kubeconfig`);
    rmSync(file, { force: true });
    const res = await roster(repo, 'token', 'kubeconfig', token, '--cluster', cluster, '-o', file, ...args);
    return { ...res, file };
  }

  it('writes a 0600 kubeconfig whose token works where the grants say and nowhere else', async function () {
    const { code, out, err, file } = await mint(ci, 'east', '--duration', '1h');
    assert.equal(code, 0, err);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const ep = endpointOf(file);
    assert.ok(!out.includes(ep.token!) && !err.includes(ep.token!), 'the token was printed');

    const pods = await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/pods`);
    assert.equal(pods.status, 200, 'listing pods where the token is granted');
    const secrets = await apiRequest(ep, 'GET', `/api/v1/namespaces/${allowed}/secrets`);
    assert.equal(secrets.status, 403, 'listing secrets, which the role does not allow');
    const elsewhere = await apiRequest(ep, 'GET', `/api/v1/namespaces/${other}/pods`);
    assert.equal(elsewhere.status, 403, 'listing pods in a namespace the token has no grant in');
  });

  it('is not accepted by another cluster', async function () {
    const { file } = await mint(ci, 'east');
    const west = controlPlane().cluster('west');
    const ep = { ...endpointOf(file), cluster: 'west', server: west.server, ca: Buffer.from(west.caData, 'base64') };
    const res = await apiRequest(ep, 'GET', `/api/v1/namespaces/${other}/pods`);
    assert.equal(res.status, 401, 'west must not accept a token east minted');
  });

  it('asks for the requested lifetime and gets it', async function () {
    const before = Date.now();
    const { code, err, file } = await mint(ci, 'east', '--duration', '2h');
    assert.equal(code, 0, err);
    const exp = jwtClaims(endpointOf(file).token!).exp * 1000;
    assert.ok(Math.abs(exp - (before + 2 * 3600_000)) < 120_000, `token expires at ${new Date(exp).toISOString()}`);
  });

  it("never mints past the AccessToken's own expiry", async function () {
    const { code, err, file } = await mint(short, 'east', '--duration', '1d');
    assert.equal(code, 0, err);
    const exp = jwtClaims(endpointOf(file).token!).exp * 1000;
    const expires = spec.tokens![1]!.expires.getTime();
    assert.ok(exp <= expires, `minted until ${new Date(exp).toISOString()}, past ${new Date(expires).toISOString()}`);
  });

  it('refuses a cluster the token has no grant on, an unknown token and an expired one', async function () {
    const west = await mint(ci, 'west');
    assert.equal(west.code, 2);
    assert.match(west.err, /no active grant on cluster west/);
    const unknown = await mint('nope', 'east');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /AccessToken\/nope: not declared/);

    repo.write(
      accessRepoYaml({ ...spec, tokens: [{ ...spec.tokens![0]!, expires: inMinutes(-60) }, spec.tokens![1]!] }),
    );
    const expired = await mint(ci, 'east');
    assert.equal(expired.code, 2);
    assert.match(expired.err, /expired at/);
    repo.write(accessRepoYaml(spec));
  });

  it("shows the token's live access, through its ServiceAccount", async function () {
    const res = await roster(repo, 'access', '--token', ci, '--live', '--cluster', 'east', '--no-rules');
    assert.equal(res.code, 0, res.err);
    assert.match(
      res.out,
      new RegExp(
        `\\[RoleBinding\\] {2}${allowed}/roster:token:${ci}:${role} {2}\\(token ${ci}, ` +
          `via ServiceAccount ${tokenNamespace}/${ci}\\)`,
      ),
    );
  });
});

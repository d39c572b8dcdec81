/**
 * deploy/ grants Roster what it needs and nothing more. On a cluster of its own (examples/acme's built-in
 * ClusterRoles, e.g. roster:viewer, are cluster-wide names other tests on the shared clusters also write), the
 * manifests are applied with the built kubectl, the `roster` ServiceAccount gets a TokenRequest token in a 0600
 * kubeconfig, and as that ServiceAccount Roster reconciles examples/acme (`roster apply`, then `roster serve
 * --leader-elect` with the Lease in roster-system), while every request outside its remit is refused with 403.
 */
import { newKeyAndRequest } from '../../src/credentials/csr.js';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { startControlPlane, type ControlPlane } from '../harness/index.js';
import { apiRequest } from '../harness/http.js';
import { examplesDir, repoRoot } from '../support/paths.js';
import { sample } from '../support/scrape.js';
import { ServeProcess } from '../support/serve-process.js';

const HOME = 'home';
const MANIFESTS = [
  '00-namespace.yaml',
  '10-serviceaccount.yaml',
  '20-clusterrole.yaml',
  '25-delegations.yaml',
  '30-leader-election.yaml',
].map((f) => join(repoRoot, 'deploy', f));
const NAMESPACES = ['payments', 'checkout', 'monitoring', 'platform-tools', 'data-lake'];
/** examples/acme's tokens and break-glass grant have dates; pin the clock so the example stays valid for this test. */
const ACME_NOW = '2026-12-01T00:00:00Z';

function capture(): Io & { text: () => string } {
  let text = '';
  return { out: (t) => void (text += t), err: (t) => void (text += t), color: false, text: () => text };
}

/** The fields of API responses this test reads. */
interface TokenRequestBody {
  status: { token: string };
}
interface SelfReviewBody {
  status?: { userInfo?: { username?: string } };
}
interface LeaseBody {
  spec?: { holderIdentity?: string };
}

describe('deploy/: Roster as its own least-privilege ServiceAccount', function () {
  let cp: ControlPlane;
  let dir: string;
  let token: string;
  let kubeconfig: string;
  let repo: string;
  let pinnedBefore: string | undefined;

  /** A request made with the roster ServiceAccount's token. */
  const asRoster = (method: string, path: string, body?: unknown) => {
    const cluster = cp.cluster(HOME);
    return apiRequest(
      { cluster: HOME, server: cluster.server, ca: Buffer.from(cluster.caData, 'base64'), token },
      method,
      path,
      body,
    );
  };

  before(async function () {
    pinnedBefore = process.env.ROSTER_NOW;
    process.env.ROSTER_NOW = ACME_NOW;
    cp = await startControlPlane({ names: [HOME] });
    dir = mkdtempSync(join(tmpdir(), 'roster-deploy-'));
    for (const name of NAMESPACES)
      await cp.request(HOME, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });

  after(async function () {
    if (pinnedBefore === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = pinnedBefore;
    await cp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies with the built kubectl, and the Deployment passes a server-side dry run', async function () {
    const applied = await cp.kubectl(HOME, ['apply', ...MANIFESTS.flatMap((f) => ['-f', f])]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /clusterrole.rbac.authorization.k8s.io\/roster created/);
    const dryRun = await cp.kubectl(HOME, [
      'apply',
      '--dry-run=server',
      '-f',
      join(repoRoot, 'deploy', '40-deployment.yaml'),
    ]);
    assert.equal(dryRun.code, 0, dryRun.stderr);
  });

  it('mints a TokenRequest token for the roster ServiceAccount into a 0600 kubeconfig', async function () {
    const res = await cp.request(HOME, 'POST', '/api/v1/namespaces/roster-system/serviceaccounts/roster/token', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    token = (res.body as TokenRequestBody).status.token;
    kubeconfig = writeServiceAccountKubeconfig(join(dir, 'roster.kubeconfig'), cp, token);
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
    const whoami = await asRoster('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
    });
    assert.equal(
      (whoami.body as SelfReviewBody).status?.userInfo?.username,
      'system:serviceaccount:roster-system:roster',
    );
  });

  it('reconciles examples/acme as that ServiceAccount: exit 0 and the objects present', async function () {
    repo = copyAcme(dir);
    const io = capture();
    const code = await run(['apply', '--repo', repo, '--cluster', 'prod-eu', '--kubeconfig', kubeconfig], io);
    assert.equal(code, 0, io.text());
    const expectPresent = [
      // escalate: a ClusterRole that reads Secrets, which the ServiceAccount itself may not.
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:secret-auditor',
      // escalate + bind: `*` on `*`, bound in a namespace.
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:owner',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/monitoring/rolebindings/roster:team:platform:owner',
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/roster:team:security:secret-auditor',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/roster:team:payments:viewer',
      // Tokens: the token namespace and a ServiceAccount per AccessToken.
      '/api/v1/namespaces/roster-tokens',
      '/api/v1/namespaces/roster-tokens/serviceaccounts/ci-deployer',
      // The payments delegation's identity, and its bindings (written as that identity).
      '/api/v1/namespaces/roster-delegations/serviceaccounts/payments',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/roster:delegation:payments',
    ];
    for (const path of expectPresent)
      assert.equal((await cp.request(HOME, 'GET', path)).status, 200, `${path} should exist`);
    await cp.waitForAccess({
      cluster: HOME,
      user: 'alice',
      verb: 'list',
      resource: 'pods',
      namespace: 'payments',
      expected: true,
    });
    const again = capture();
    assert.equal(
      await run(['apply', '--repo', repo, '--cluster', 'prod-eu', '--kubeconfig', kubeconfig], again),
      0,
      again.text(),
    );
  });

  it('mints a user kubeconfig with its CSR rules, approving only the client signer', async function () {
    const file = join(dir, 'alice.kubeconfig');
    const io = capture();
    const argv = ['kubeconfig', '--user', 'alice@example.com', '--cluster', 'prod-eu', '-o', file];
    const code = await run([...argv, '--repo', repo, '--kubeconfig', kubeconfig], io);
    assert.equal(code, 0, io.text());
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const kubeletCsr = await asRoster('POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'roster-deploy-kubelet' },
      spec: {
        request: Buffer.from(
          newKeyAndRequest({ commonName: 'system:node:n1', organizations: ['system:nodes'] }).requestPem,
        ).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['client auth', 'digital signature'],
      },
    });
    // Creating it is allowed (create is not per signer); approving it is what resourceNames forbid.
    assert.equal(kubeletCsr.status, 201, JSON.stringify(kubeletCsr.body));
    const approval = await asRoster(
      'PUT',
      '/apis/certificates.k8s.io/v1/certificatesigningrequests/roster-deploy-kubelet/approval',
      {
        ...(kubeletCsr.body as object),
        status: { conditions: [{ type: 'Approved', status: 'True', reason: 'x', message: 'x' }] },
      },
    );
    assert.equal(approval.status, 403, 'approving for the kubelet signer must be refused');
    await cp.request(HOME, 'DELETE', '/apis/certificates.k8s.io/v1/certificatesigningrequests/roster-deploy-kubelet');
  });

  it('is refused secrets, workloads, namespace deletion, tokens, impersonation and other Leases', async function () {
    const refused: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/namespaces/payments/secrets'],
      ['GET', '/api/v1/namespaces/kube-system/secrets'],
      ['GET', '/api/v1/namespaces/payments/pods'],
      ['GET', '/api/v1/namespaces/payments/configmaps'],
      ['POST', '/apis/apps/v1/namespaces/payments/deployments', deployment()],
      ['DELETE', '/api/v1/namespaces/payments'],
      [
        'POST',
        '/api/v1/namespaces/roster-tokens/serviceaccounts/ci-deployer/token',
        { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
      ],
      ['POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', lease('elsewhere')],
      [
        'PUT',
        '/apis/rbac.authorization.k8s.io/v1/clusterroles/roster',
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'roster' }, rules: [] },
      ],
    ];
    for (const [method, path, body] of refused) {
      const res = await asRoster(method, path, body);
      assert.equal(res.status, 403, `${method} ${path} as the roster ServiceAccount answered ${res.status}`);
    }
    const impersonating = await apiRequest(
      {
        cluster: HOME,
        server: cp.cluster(HOME).server,
        ca: Buffer.from(cp.cluster(HOME).caData, 'base64'),
        token,
        headers: { 'Impersonate-User': 'admin' },
      },
      'GET',
      '/api/v1/namespaces',
    );
    assert.equal(impersonating.status, 403, 'impersonation is refused');
    // 25-delegations.yaml: the delegations' ServiceAccounts, and no other.
    const as = async (user: string) =>
      (
        await apiRequest(
          {
            cluster: HOME,
            server: cp.cluster(HOME).server,
            ca: Buffer.from(cp.cluster(HOME).caData, 'base64'),
            token,
            headers: { 'Impersonate-User': user },
          },
          'GET',
          '/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings/roster:team:payments:viewer',
        )
      ).status;
    assert.equal(await as('system:serviceaccount:roster-delegations:payments'), 200, 'the delegation');
    assert.equal(await as('system:serviceaccount:roster-tokens:ci-deployer'), 403, 'a token ServiceAccount');
    assert.equal(await as('system:serviceaccount:roster-system:roster'), 403, 'any other ServiceAccount');
  });

  it('needs its escalate and bind rule: without it, writing a role that reads Secrets is refused', async function () {
    const minus = await serviceAccountWithout(cp, 'roster-minus', (rule) => !rule.verbs.includes('escalate'));
    const path = '/apis/rbac.authorization.k8s.io/v1/clusterroles/roster:secret-auditor';
    assert.equal((await cp.request(HOME, 'DELETE', path)).status, 200);
    const io = capture();
    const code = await run(
      [
        'apply',
        '--dry-run',
        'server',
        '--repo',
        repo,
        '--cluster',
        'prod-eu',
        '--kubeconfig',
        writeServiceAccountKubeconfig(join(dir, 'minus.kubeconfig'), cp, minus),
      ],
      io,
    );
    assert.equal(code, 3, io.text());
    assert.match(
      io.text(),
      new RegExp(
        String.raw`ClusterRole\/roster:secret-auditor: (create|patch) failed: Forbidden[^\n]*attempting to grant ` +
          String.raw`RBAC permissions not currently held`,
      ),
    );
    const restore = capture();
    assert.equal(
      await run(['apply', '--repo', repo, '--cluster', 'prod-eu', '--kubeconfig', kubeconfig], restore),
      0,
      restore.text(),
    );
    assert.equal((await cp.request(HOME, 'GET', path)).status, 200);
  });

  it('runs `serve --leader-elect` as that ServiceAccount: leads via the roster-system Lease, syncs', async function () {
    const serve = new ServeProcess([
      '--repo',
      repo,
      '--cluster',
      'prod-eu',
      '--kubeconfig',
      kubeconfig,
      '--interval',
      '1h',
      '--leader-elect',
      '--lease-cluster',
      'prod-eu',
    ]);
    try {
      await serve.started();
      await serve.until('a sync as leader', async () => {
        const m = await serve.metrics();
        return (
          sample(m, 'roster_leader') === 1 &&
          sample(m, 'roster_last_successful_sync_timestamp_seconds{cluster="prod-eu"}') !== undefined
        );
      });
      assert.equal(sample(await serve.metrics(), 'roster_reconcile_errors_total{cluster="prod-eu"}'), 0);
      const lease = await cp.request(
        HOME,
        'GET',
        '/apis/coordination.k8s.io/v1/namespaces/roster-system/leases/roster',
      );
      assert.equal((lease.body as LeaseBody).spec?.holderIdentity, serve.identity);
      serve.signal('SIGTERM');
      assert.equal((await serve.exit).code, 0, serve.output.slice(-2000));
    } finally {
      await serve.kill();
    }
  });
});

interface Rule {
  verbs: string[];
}

/** A second ServiceAccount bound to deploy/'s ClusterRole minus some rules; returns its token. */
async function serviceAccountWithout(cp: ControlPlane, name: string, keep: (rule: Rule) => boolean): Promise<string> {
  const [clusterRole] = parseAllDocuments(readFileSync(join(repoRoot, 'deploy', '20-clusterrole.yaml'), 'utf8')).map(
    (d) => d.toJS() as { rules: Rule[] },
  );
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const objects: Array<[string, unknown]> = [
    [
      '/api/v1/namespaces/roster-system/serviceaccounts',
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
    ],
    [
      `${rbac}/clusterroles`,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: clusterRole!.rules.filter(keep),
      },
    ],
    [
      `${rbac}/clusterrolebindings`,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'roster-system' }],
      },
    ],
  ];
  for (const [path, body] of objects) assert.equal((await cp.request(HOME, 'POST', path, body)).status, 201, path);
  const res = await cp.request(HOME, 'POST', `/api/v1/namespaces/roster-system/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: {},
  });
  return (res.body as TokenRequestBody).status.token;
}

/** Only the ServiceAccount's token: no client certificate, no admin credentials, context named like the Cluster. */
function writeServiceAccountKubeconfig(path: string, cp: ControlPlane, token: string): string {
  const cluster = cp.cluster(HOME);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: HOME, cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } }],
    users: [{ name: 'roster', user: { token } }],
    contexts: [{ name: 'prod-eu', context: { cluster: HOME, user: 'roster' } }],
    'current-context': 'prod-eu',
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** examples/acme with its own instance; `--cluster prod-eu` reaches the test cluster through the context above. */
function copyAcme(dir: string): string {
  const repo = join(dir, 'acme');
  cpSync(join(examplesDir, 'acme'), repo, { recursive: true });
  const settings = join(repo, 'roster.yaml');
  writeFileSync(settings, readFileSync(settings, 'utf8').replace(/instance: acme/, 'instance: acme-deploy'));
  return repo;
}

function deployment(): unknown {
  const labels = { app: 'x' };
  const spec = {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'x', image: 'busybox' }] } },
  };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec };
}

function lease(name: string): unknown {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: {} };
}

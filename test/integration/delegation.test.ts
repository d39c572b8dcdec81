/**
 * Delegated administration on a real API server: a product team's file applies as its delegation's
 * ServiceAccount; validation stops what exceeds the ceiling at file:line; and with validation bypassed, the API
 * server itself refuses the impersonated write (RBAC's escalation check) as that object's failure alone; prunes
 * are made as the delegation too; and an identity that may only read and impersonate the delegation (deploy/'s
 * delegated mode) applies a delegated change, while without `impersonate` that write alone fails.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import type { Model } from '../../src/model/types.js';
import { reconcile } from '../../src/reconcile/engine.js';
import { validateRepo } from '../../src/validate/index.js';
import { apiRequest } from '../harness/http.js';
import { controlPlane } from './fixtures.js';
import {
  actionsOf,
  bindingPath,
  cleanUp,
  createNamespace,
  get,
  RBAC,
  roster,
  rosterJson,
  rosterRequests,
  TempRepo,
  unique,
  WRITE_VERBS,
} from './reconcile-support.js';

const doc = (kind: string, name: string, spec: unknown) => ({
  apiVersion: 'roster/v1',
  kind,
  metadata: { name },
  spec,
});

interface Names {
  instance: string;
  home: string;
  payments: string;
  billing: string;
  delegation: string;
}

function platformYaml(n: Names): string {
  return [
    doc('Settings', 'roster', {
      instance: n.instance,
      delegationNamespace: n.home,
      prune: { enabled: true, maxPercent: 100 },
    }),
    doc('Cluster', 'east', { context: 'east' }),
    doc('Delegation', n.delegation, {
      paths: ['teams/payments/**'],
      owners: { users: ['pat'], groups: ['acme/payments-leads'] },
      namespaces: [n.payments],
      clusters: { names: ['east'] },
      ceiling: ['editor', 'viewer'],
    }),
    // The platform's own team, in an undelegated file: written by Roster itself.
    doc('Team', 'billing', {
      members: { users: ['bill@example.com'] },
      grants: [{ role: 'viewer', namespaces: [n.billing] }],
    }),
  ]
    .map((d) => stringify(d))
    .join('---\n');
}

function teamYaml(role: string, namespace?: string, users = ['pat@example.com']): string {
  const where = namespace === undefined ? {} : { namespaces: [namespace] };
  return stringify(
    doc('Team', 'payments', {
      members: { users },
      grants: [{ role, ...where, clusters: { names: ['east'] } }],
    }),
  );
}

/** `roster validate`, which takes no kubeconfig. */
async function validateCli(repo: TempRepo): Promise<{ code: number; err: string }> {
  let err = '';
  const io = { out: () => undefined, err: (t: string) => void (err += t), color: false };
  return { code: await run(['validate', '--repo', repo.dir], io), err };
}

function write(repo: TempRepo, rel: string, text: string): void {
  mkdirSync(dirname(join(repo.dir, rel)), { recursive: true });
  writeFileSync(join(repo.dir, rel), text);
}

describe('delegation: enforced by validation and by Kubernetes', function () {
  const n: Names = {
    instance: unique('it-deleg'),
    home: unique('deleg-home'),
    payments: unique('payments'),
    billing: unique('billing'),
    delegation: unique('payments'),
  };
  const delegate = `system:serviceaccount:${n.home}:${n.delegation}`;
  const teamFile = 'teams/payments/team.yaml';
  const ours = bindingPath(n.payments, 'roster:team:payments:editor');
  let repo: TempRepo;

  before(async function () {
    for (const ns of [n.home, n.payments, n.billing]) await createNamespace('east', ns);
    repo = new TempRepo(platformYaml(n));
    write(repo, teamFile, teamYaml('editor', n.payments));
  });

  after(async function () {
    repo.remove();
    await cleanUp(n.instance, [n.home, n.payments, n.billing]);
  });

  it("applies a delegated team's editor grant in its namespace as the delegation's ServiceAccount", async function () {
    const since = new Date();
    const { code, json, err } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, err);
    const actions = actionsOf(json, 'east');
    assert.equal(actions[`RoleBinding/${n.payments}/roster:team:payments:editor`], 'created');
    assert.equal(actions[`RoleBinding/${n.billing}/roster:team:billing:viewer`], 'created');
    assert.equal(actions[`ServiceAccount/${n.home}/${n.delegation}`], 'created');
    const change = json.clusters[0]?.changes.find((c) => c.ref.endsWith('roster:team:payments:editor'));
    assert.equal(change?.as, delegate);
    const binding = await get('east', ours);
    assert.equal(binding?.roleRef?.name, 'roster:editor');
    assert.equal(binding?.metadata.labels?.['roster.dev/delegation'], n.delegation);
    // The API server's audit log: the delegated binding was created as the delegation, the platform's as Roster.
    const writes = await rosterRequests('east', since, ['create']);
    const created = (name: string) =>
      writes.find((e) => e.objectRef?.name === name && e.objectRef.resource === 'rolebindings');
    assert.equal(created('roster:team:payments:editor')?.impersonatedUser?.username, delegate);
    assert.equal(created('roster:team:payments:editor')?.responseStatus?.code, 201);
    assert.equal(created('roster:team:billing:viewer')?.impersonatedUser, undefined);
    // `roster access --live` reads the delegation off the real binding; the platform's binding names none.
    const live = await roster(repo, 'access', '--live', '--namespace', n.payments, '--no-rules');
    assert.equal(live.code, 0, live.err);
    assert.match(live.out, new RegExp(`roster:team:payments:editor +\\(team payments, delegation ${n.delegation}\\b`));
    const billing = await roster(repo, 'access', '--live', '--namespace', n.billing, '--no-rules');
    assert.match(billing.out, /roster:team:billing:viewer +\(team billing[,)]/);
    assert.doesNotMatch(billing.out, /delegation/);
  });

  it('refuses cluster-owner, or editor elsewhere, at file:line naming the delegation and its limit', async function () {
    write(repo, teamFile, teamYaml('cluster-owner'));
    let res = await validateCli(repo);
    assert.equal(res.code, 2, res.err);
    assert.match(
      res.err,
      new RegExp(
        `${teamFile}:\\d+:\\d+ spec\\.grants\\[0\\]\\.role: role "cluster-owner" is cluster-wide: ` +
          `Delegation ${n.delegation} \\(roster\\.yaml:\\d+:\\d+\\) ` +
          `allows no cluster-wide scope \\(its ceiling: editor, viewer\\)`,
      ),
    );

    write(repo, teamFile, teamYaml('editor', n.billing));
    const since = new Date();
    res = await roster(repo, 'apply');
    assert.equal(res.code, 2, res.err);
    assert.match(
      res.err,
      new RegExp(
        `${teamFile}:\\d+:\\d+ spec\\.grants\\[0\\]\\.namespaces\\[0\\]: ` +
          `namespace "${n.billing}" is outside Delegation ${n.delegation} \\(roster\\.yaml:\\d+:\\d+\\): ` +
          `it covers only ${n.payments}`,
      ),
    );
    assert.deepEqual(await rosterRequests('east', since), [], 'an invalid config sends no request');
    write(repo, teamFile, teamYaml('editor', n.payments));
  });

  // With validation bypassed (mocha runs a suite's own tests before its nested suites: no describe here).
  {
    /** The valid model, then the delegated team's grant changed behind validation's back. */
    function bypassed(change: { role?: string; namespace?: string }): Model {
      const files = [
        { path: 'roster.yaml', text: platformYaml(n) },
        { path: teamFile, text: teamYaml('editor', n.payments) },
      ];
      const { model, diagnostics } = validateRepo(files, { now: new Date() });
      assert.ok(model, JSON.stringify(diagnostics));
      const teams = model.teams.map((t) =>
        t.name !== 'payments'
          ? t
          : {
              ...t,
              grants: t.grants.map((g) => ({
                ...g,
                role: change.role ?? g.role,
                namespaces: change.namespace ? [change.namespace] : g.namespaces,
              })),
            },
      );
      return { ...model, teams };
    }

    async function apply(model: Model) {
      return reconcile({
        mode: 'apply',
        model,
        clusters: model.clusters,
        now: new Date(),
        kubeconfig: controlPlane().kubeconfigPath,
      });
    }

    for (const [what, change, ns, role] of [
      ['owner (above the ceiling) in its namespace', () => ({ role: 'owner' }), () => n.payments, 'owner'],
      ['editor in another team’s namespace', () => ({ namespace: n.billing }), () => n.billing, 'editor'],
    ] as const) {
      it(`bypassing validation, the API server refuses ${what}, failing only that object`, async function () {
        const since = new Date();
        const result = await apply(bypassed(change()));
        const east = result.clusters[0]!;
        const ref = `RoleBinding/${ns()}/roster:team:payments:${role}`;
        const byRef = new Map(
          east.changes.map((c) => [`${c.key.kind}/${c.key.namespace ? `${c.key.namespace}/` : ''}${c.key.name}`, c]),
        );
        const refused = byRef.get(ref);
        assert.equal(refused?.action, 'failed', JSON.stringify(east.changes, null, 2));
        assert.equal(refused?.as, delegate);
        assert.match(refused?.reason ?? '', new RegExp(`^as ${delegate}: .*forbidden`));
        const others = east.changes.filter((c) => c !== refused);
        assert.deepEqual(
          others.filter((c) => c.action === 'failed' || c.action === 'conflict'),
          [],
          'no other object failed',
        );
        assert.equal(byRef.get(`RoleBinding/${n.billing}/roster:team:billing:viewer`)?.action, 'unchanged');
        // The survivor rule: a failed write means nothing is pruned in this run, so the old binding stays.
        assert.equal(
          byRef.get(`RoleBinding/${n.payments}/roster:team:payments:editor`)?.action,
          'skipped',
          JSON.stringify(east.changes, null, 2),
        );
        assert.ok(await get('east', ours), 'the valid binding is still there');
        assert.equal(await get('east', bindingPath(ns(), `roster:team:payments:${role}`)), undefined);
        const refusals = (await rosterRequests('east', since, ['create'])).filter(
          (e) => e.responseStatus?.code === 403,
        );
        // Refused by the authorizer (no rights in that namespace) or by RBAC's escalation check (a role it may not
        // bind): either way one create of a RoleBinding in that namespace, made as the delegation, answered 403.
        assert.deepEqual(
          refusals.map((e) => [e.objectRef?.resource, e.objectRef?.namespace, e.impersonatedUser?.username]),
          [['rolebindings', ns(), delegate]],
        );
      });
    }
  }

  it("prunes a delegated binding as the delegation's ServiceAccount", async function () {
    write(repo, teamFile, teamYaml('viewer', n.payments));
    const since = new Date();
    const { code, json, err } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, err);
    const actions = actionsOf(json, 'east');
    assert.equal(actions[`RoleBinding/${n.payments}/roster:team:payments:editor`], 'pruned');
    assert.equal(actions[`RoleBinding/${n.payments}/roster:team:payments:viewer`], 'created');
    assert.equal(await get('east', ours), undefined);
    const deletes = await rosterRequests('east', since, ['delete']);
    const pruned = deletes.find((e) => e.objectRef?.name === 'roster:team:payments:editor');
    assert.equal(pruned?.impersonatedUser?.username, delegate);
    assert.equal(pruned?.responseStatus?.code, 200);
  });

  it('for delegated work needs only to read and to impersonate the delegation: no bind or escalate', async function () {
    const cp = controlPlane();
    const narrow = unique('narrow');
    const sa = { namespace: n.home, name: narrow };
    const created: string[] = [];
    const create = async (path: string, body: { kind: string; metadata: { name: string } }) => {
      const res = await cp.request('east', 'POST', path, body);
      assert.equal(res.status, 201, `${body.kind} ${body.metadata.name}: ${JSON.stringify(res.body)}`);
      created.push(`${path}/${encodeURIComponent(body.metadata.name)}`);
    };
    const rbac = (kind: string, name: string, rest: object) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name },
      ...rest,
    });
    const subjects = [{ kind: 'ServiceAccount', ...sa }];
    try {
      await create(`/api/v1/namespaces/${n.home}/serviceaccounts`, {
        kind: 'ServiceAccount',
        metadata: { name: narrow },
      });
      // Reading what Roster compares, cluster-wide; no write, no bind, no escalate anywhere.
      await create(
        `${RBAC}/clusterroles`,
        rbac('ClusterRole', narrow, {
          rules: [
            { apiGroups: [''], resources: ['namespaces', 'serviceaccounts'], verbs: ['get', 'list'] },
            {
              apiGroups: ['rbac.authorization.k8s.io'],
              resources: ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'],
              verbs: ['get', 'list'],
            },
          ],
        }),
      );
      await create(
        `${RBAC}/clusterrolebindings`,
        rbac('ClusterRoleBinding', narrow, {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: narrow },
          subjects,
        }),
      );
      // deploy/25-delegations.yaml's rule: impersonate the ServiceAccounts of the delegation namespace.
      await create(
        `${RBAC}/namespaces/${n.home}/roles`,
        rbac('Role', narrow, {
          rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }],
        }),
      );
      await create(
        `${RBAC}/namespaces/${n.home}/rolebindings`,
        rbac('RoleBinding', narrow, {
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: narrow },
          subjects,
        }),
      );
      const token = await cp.request('east', 'POST', `/api/v1/namespaces/${n.home}/serviceaccounts/${narrow}/token`, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600 },
      });
      assert.equal(token.status, 201, JSON.stringify(token.body));
      const narrowToken = (token.body as { status: { token: string } }).status.token;
      const kubeconfig = join(repo.dir, '..', `${narrow}.kubeconfig`);
      const east = cp.cluster('east');
      writeFileSync(
        kubeconfig,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'east', cluster: { server: east.server, 'certificate-authority-data': east.caData } }],
          users: [{ name: narrow, user: { token: narrowToken } }],
          contexts: [{ name: 'east', context: { cluster: 'east', user: narrow } }],
          'current-context': 'east',
        }),
        { mode: 0o600 },
      );
      const asNarrow = (method: string, path: string, body?: unknown) =>
        apiRequest(
          { cluster: 'east', server: east.server, ca: Buffer.from(east.caData, 'base64'), token: narrowToken },
          method,
          path,
          body,
        );
      // Its read rule reaches the authorizer a moment after it was written.
      for (let i = 0; i < 50 && (await asNarrow('GET', `${RBAC}/rolebindings`)).status !== 200; i++)
        await new Promise((r) => setTimeout(r, 100));
      // On its own, this identity may not write the binding: it holds neither `bind` on the role nor its rights.
      const own = await asNarrow('POST', `${RBAC}/namespaces/${n.payments}/rolebindings`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: narrow },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'roster:editor' },
        subjects,
      });
      assert.equal(own.status, 403, JSON.stringify(own.body));

      // A new member: the delegated binding changes; every platform object (roster:viewer, the delegation's
      // identity, billing's binding) is unchanged, so Roster has nothing of its own to write.
      write(repo, teamFile, teamYaml('viewer', n.payments, ['pat@example.com', 'sam@example.com']));
      const since = new Date();
      let out = '';
      let err = '';
      const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
      const code = await run(['apply', '--repo', repo.dir, '--kubeconfig', kubeconfig, '-o', 'json'], io);
      assert.equal(code, 0, `${err}\n${out}`);
      const actions = actionsOf(JSON.parse(out) as Parameters<typeof actionsOf>[0], 'east');
      assert.equal(actions[`RoleBinding/${n.payments}/roster:team:payments:viewer`], 'updated');
      const binding = await get('east', bindingPath(n.payments, 'roster:team:payments:viewer'));
      assert.deepEqual(
        binding?.subjects?.map((x) => x.name),
        ['pat@example.com', 'sam@example.com'],
      );
      // Every write of the run: the delegated binding's, sent by the narrow identity as the delegation.
      const writes = (await rosterRequests('east', since)).filter((e) => WRITE_VERBS.includes(e.verb));
      assert.deepEqual(
        writes.map((e) => [e.verb, e.objectRef?.name, e.user.username, e.impersonatedUser?.username]),
        [['patch', 'roster:team:payments:viewer', `system:serviceaccount:${n.home}:${narrow}`, delegate]],
      );
      assert.ok(writes.every((e) => (e.responseStatus?.code ?? 0) < 300));

      // Without deploy/25-delegations.yaml's rule: the delegated write fails alone, as impersonation refused.
      const impersonating = created.find((p) => p.includes('/rolebindings/'))!;
      assert.equal((await cp.request('east', 'DELETE', impersonating)).status, 200);
      created.splice(created.indexOf(impersonating), 1);
      const probe = async () =>
        (
          await apiRequest(
            {
              cluster: 'east',
              server: east.server,
              ca: Buffer.from(east.caData, 'base64'),
              token: narrowToken,
              headers: { 'Impersonate-User': delegate },
            },
            'GET',
            bindingPath(n.payments, 'roster:team:payments:viewer'),
          )
        ).status;
      for (let i = 0; i < 50 && (await probe()) !== 403; i++) await new Promise((r) => setTimeout(r, 100));
      write(repo, teamFile, teamYaml('viewer', n.payments, ['pat@example.com']));
      out = '';
      const refused = await run(['apply', '--repo', repo.dir, '--kubeconfig', kubeconfig, '-o', 'json'], io);
      assert.equal(refused, 3, err);
      const report = JSON.parse(out) as Parameters<typeof actionsOf>[0];
      const changes = report.clusters[0]!.changes;
      const failed = changes.filter((c) => c.action === 'failed');
      assert.deepEqual(
        failed.map((c) => c.ref),
        [`RoleBinding/${n.payments}/roster:team:payments:viewer`],
      );
      assert.match(failed[0]!.reason ?? '', new RegExp(`^as ${delegate}: .*cannot impersonate`));
      const still = await get('east', bindingPath(n.payments, 'roster:team:payments:viewer'));
      assert.equal(still?.subjects?.length, 2, 'the binding is as it was');
    } finally {
      for (const path of created.reverse()) await cp.request('east', 'DELETE', path);
    }
  });
});

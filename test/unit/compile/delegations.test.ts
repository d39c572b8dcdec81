import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { renderYaml } from '../../../src/compile/render.js';
import { validateRepo } from '../../../src/validate/index.js';
import { assertGolden } from '../../support/golden.js';

const now = new Date('2026-06-01T00:00:00Z');

const files = [
  {
    path: 'roster.yaml',
    text: `apiVersion: roster/v1
kind: Settings
metadata: {name: roster}
spec: {instance: unit}
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: prod, labels: {env: prod}}
spec: {}
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: lab, labels: {env: lab}}
spec: {}
---
apiVersion: roster/v1
kind: Role
metadata: {name: deployer}
spec: {scope: namespace, extends: [viewer], rules: [{apiGroups: [apps], resources: [deployments], verbs: [patch]}]}
---
apiVersion: roster/v1
kind: Delegation
metadata: {name: payments}
spec:
  paths: ["teams/payments/**"]
  owners: {users: [alice]}
  namespaces: [payments, "payments-*"]
  clusters: {matchLabels: {env: prod}}
  ceiling: [viewer, deployer, editor]
`,
  },
  {
    path: 'teams/payments/team.yaml',
    text: `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members: {users: [pat@example.com]}
  grants:
    - {role: deployer, namespaces: ["payments-*"], clusters: {names: [prod]}}
`,
  },
  {
    path: 'teams/platform.yaml',
    text: `apiVersion: roster/v1
kind: Team
metadata: {name: platform}
spec:
  members: {users: [ops@example.com]}
  grants: [{role: viewer, namespaces: [payments]}]
`,
  },
];

function model() {
  const { model, diagnostics } = validateRepo(files, { now });
  assert.ok(model, JSON.stringify(diagnostics));
  return model;
}

describe('compile: delegations', () => {
  const namespaces = ['default', 'payments', 'payments-eu', 'payments-us', 'roster-delegations', 'shop'];

  it("a delegation's identity: ServiceAccount, bind-only-the-ceiling ClusterRole, a RoleBinding per namespace", () => {
    const result = compile(model(), [{ name: 'prod', namespaces }], now);
    const prod = result.clusters[0]!;
    assertGolden('compile/delegation-prod.yaml', renderYaml(prod.objects));
    assert.deepEqual(prod.delegates, [
      {
        delegation: 'payments',
        user: 'system:serviceaccount:roster-delegations:payments',
        namespaces: ['payments', 'payments-eu', 'payments-us'],
      },
    ]);
  });

  it('labels the bindings of delegated files with their delegation, and only those', () => {
    const prod = compile(model(), [{ name: 'prod', namespaces }], now).clusters[0]!;
    const labelled = prod.objects
      .filter((o) => o.metadata.labels?.['roster.dev/delegation'] !== undefined)
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    assert.deepEqual(labelled, [
      'payments-eu/roster:team:payments:deployer',
      'payments-us/roster:team:payments:deployer',
    ]);
    const access = prod.access.filter((e) => e.holder.name === 'payments').map((e) => e.delegation);
    assert.deepEqual([...new Set(access)], ['payments']);
    assert.ok(prod.access.filter((e) => e.holder.name === 'platform').every((e) => e.delegation === undefined));
  });

  it('compiles nothing for a delegation on a cluster its selector does not reach', () => {
    const lab = compile(model(), [{ name: 'lab', namespaces }], now).clusters[0]!;
    assert.equal(lab.delegates, undefined);
    assert.deepEqual(
      lab.objects.filter((o) => o.metadata.labels?.['roster.dev/delegate']).map((o) => o.metadata.name),
      [],
    );
  });

  it('never lets a grant pattern reach the delegation namespace', () => {
    const wide = files.map((f) =>
      f.path === 'teams/platform.yaml'
        ? { ...f, text: f.text.replace('namespaces: [payments]', 'namespaces: ["*"]') }
        : f,
    );
    const { model: m } = validateRepo(wide, { now });
    const prod = compile(m!, [{ name: 'prod', namespaces }], now).clusters[0]!;
    const reached = prod.objects.filter(
      (o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'roster-delegations',
    );
    assert.deepEqual(reached, []);
  });

  it('is deterministic: the same bytes whatever the order of documents', () => {
    const once = renderYaml(compile(model(), [{ name: 'prod', namespaces }], now).clusters[0]!.objects);
    const { model: reversed } = validateRepo([...files].reverse(), { now });
    assert.equal(
      renderYaml(
        compile(reversed!, [{ name: 'prod', namespaces: [...namespaces].reverse() }], now).clusters[0]!.objects,
      ),
      once,
    );
  });
});

import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { validateRepo } from '../../../src/validate/index.js';

const now = new Date('2026-06-01T00:00:00Z');

const platform = `apiVersion: roster/v1
kind: Cluster
metadata: {name: prod, labels: {env: prod, tier: "1"}}
spec: {}
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: lab, labels: {env: lab}}
spec: {}
---
apiVersion: roster/v1
kind: Delegation
metadata: {name: payments}
spec:
  paths: ["teams/payments/**"]
  owners: {groups: [acme/payments-leads]}
  namespaces: [payments, "payments-*"]
  clusters: {matchLabels: {env: prod}}
  ceiling: [viewer, editor]
`;

const team = (grants: string) => `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members: {users: [pat@example.com]}
  grants:
${grants}`;

function messages(files: Record<string, string>): string[] {
  const { diagnostics } = validateRepo(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { now },
  );
  return diagnostics.map(formatDiagnostic);
}

describe('validate: delegations', () => {
  it('accepts grants within the ceiling, the namespaces and the clusters of the delegation', () => {
    const grants =
      '    - {role: editor, namespaces: [payments, "payments-eu-*", payments-us], clusters: {names: [prod]}}\n' +
      '    - {role: viewer, namespaces: ["payments-*"], clusters: {matchLabels: {env: prod, tier: "1"}}}\n';
    assert.deepEqual(messages({ 'platform.yaml': platform, 'teams/payments/team.yaml': team(grants) }), []);
  });

  it('names the delegation and its limit at file:line for each grant beyond it', () => {
    const grants = `    - {role: cluster-owner, clusters: {names: [prod]}}
    - {role: owner, namespaces: [payments], clusters: {names: [prod]}}
    - {role: editor, namespaces: [shop, "pay*"], clusters: {names: [prod]}}
    - {role: viewer, namespaces: [payments]}
    - {role: viewer, namespaces: [payments], clusters: {names: [prod, lab]}}
`;
    assert.deepEqual(messages({ 'platform.yaml': platform, 'teams/payments/team.yaml': team(grants) }), [
      'teams/payments/team.yaml:7:14 spec.grants[0].role: role "cluster-owner" is cluster-wide: ' +
        'Delegation payments (platform.yaml:11:1) allows no cluster-wide scope (its ceiling: viewer, editor)\n' +
        '  hint: grant one of viewer, editor in the namespaces the delegation covers, or ask the platform team',
      'teams/payments/team.yaml:8:14 spec.grants[1].role: role "owner" is above the ceiling of Delegation ' +
        'payments (platform.yaml:11:1): it may grant only viewer, editor\n' +
        '  hint: use one of viewer, editor, or ask the platform team to raise the ceiling',
      'teams/payments/team.yaml:9:35 spec.grants[2].namespaces[0]: namespace "shop" is outside Delegation ' +
        'payments (platform.yaml:11:1): it covers only payments, payments-*\n' +
        '  hint: grant only in the namespaces the delegation covers, or ask the platform team to add this one',
      'teams/payments/team.yaml:9:41 spec.grants[2].namespaces[1]: pattern "pay*" is outside Delegation payments ' +
        '(platform.yaml:11:1): it covers only payments, payments-*\n' +
        '  hint: grant only in the namespaces the delegation covers, or ask the platform team to add this one',
      'teams/payments/team.yaml:10:7 spec.grants[3]: grant reaches every cluster (no clusters selector): ' +
        'Delegation payments (platform.yaml:11:1) covers only clusters labelled env=prod\n' +
        '  hint: select clusters within the delegation, e.g. clusters: {"matchLabels":{"env":"prod"}}',
      'teams/payments/team.yaml:11:56 spec.grants[4].clusters: grant reaches clusters prod, lab: ' +
        'Delegation payments (platform.yaml:11:1) covers only clusters labelled env=prod\n' +
        '  hint: select clusters within the delegation, e.g. clusters: {"matchLabels":{"env":"prod"}}',
    ]);
  });

  it('refuses platform kinds in a delegated path, overlapping delegations, and a ceiling not namespaced', () => {
    const role = `apiVersion: roster/v1
kind: Role
metadata: {name: all-powerful}
spec: {scope: namespace, rules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]}
`;
    const overlapping = `apiVersion: roster/v1
kind: Delegation
metadata: {name: everything}
spec:
  paths: ["teams/**"]
  owners: {users: []}
  namespaces: [kube-system, "*"]
  ceiling: [cluster-viewer]
`;
    const out = messages({
      'platform.yaml': platform,
      'teams/payments/role.yaml': role,
      'delegations/everything.yaml': overlapping,
    });
    assert.deepEqual(
      out.map((m) => m.split('\n')[0]),
      [
        'delegations/everything.yaml:6:11 spec.owners: Delegation everything names no owner: ' +
          'nobody would review its files',
        'delegations/everything.yaml:7:16 spec.namespaces[0]: namespace "kube-system" is reserved (protected, ' +
          "or Roster's token or delegation namespace): it cannot be delegated",
        'delegations/everything.yaml:8:13 spec.ceiling[0]: role "cluster-viewer" is cluster-scoped: ' +
          "a delegation's ceiling holds namespace-scoped roles only",
        'teams/payments/role.yaml:1:1 teams/payments/role.yaml is covered by several delegations (everything, ' +
          'payments): a file belongs to one delegation at most',
        'teams/payments/role.yaml:2:7 kind: Role "all-powerful" is in a path delegated by Delegation everything ' +
          '(delegations/everything.yaml:1:1): a delegated path may not define Roles',
      ],
    );
  });

  it('refuses a Suspension in a delegated path: it would reach every binding on every cluster', () => {
    const suspension = `apiVersion: roster/v1
kind: Suspension
metadata: {name: lock-out}
spec:
  reason: a product team locking out the platform
  subjects: {users: [ops@example.com]}
`;
    const out = messages({ 'platform.yaml': platform, 'teams/payments/suspend.yaml': suspension });
    assert.deepEqual(
      out.map((m) => m.split('\n')[0]!).filter((m) => !m.includes(' warning: ')),
      [
        'teams/payments/suspend.yaml:2:7 kind: Suspension "lock-out" is in a path delegated by Delegation ' +
          'payments (platform.yaml:11:1): a delegated path may not define Suspensions',
      ],
    );
  });

  it('refuses a Delegation inside a delegated path, its own included', () => {
    const self = platform.replace('paths: ["teams/payments/**"]', 'paths: ["**"]');
    const out = messages({ 'platform.yaml': self });
    assert.ok(
      out.some((m) =>
        m.startsWith('platform.yaml:12:7 kind: Delegation "payments" is in a path delegated by Delegation payments'),
      ),
      out.join('\n'),
    );
    assert.ok(
      out.some((m) => m.includes('kind: Cluster "prod" is in a path delegated')),
      out.join('\n'),
    );
  });
});

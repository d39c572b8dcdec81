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
        'delegations/everything.yaml:7:29 warning: spec.namespaces[1]: pattern "*" matches reserved namespaces ' +
          'kube-system, kube-public, kube-node-lease, roster-tokens, roster-delegations; ' +
          'the delegation never covers them',
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

  it('names an unknown cluster of a Delegation at file:line, with the known ones', () => {
    const typo = platform.replace('clusters: {matchLabels: {env: prod}}', 'clusters: {names: [prod, prdo]}');
    const grants = `    - {role: viewer, namespaces: [payments], clusters: {names: [prod]}}\n`;
    const { diagnostics } = validateRepo(
      [
        { path: 'platform.yaml', text: typo },
        { path: 'teams/payments/team.yaml', text: team(grants) },
      ],
      { now },
    );
    assert.deepEqual(diagnostics.map(formatDiagnostic), [
      'platform.yaml:18:28 spec.clusters.names[1]: unknown cluster "prdo"\n  hint: known clusters: lab, prod',
    ]);
    assert.equal(diagnostics[0]!.severity, 'error', 'an error: validate exits 2');
  });

  it('refuses a Delegation selecting clusters by labels no cluster has', () => {
    const labels = platform.replace(
      'clusters: {matchLabels: {env: prod}}',
      'clusters: {matchLabels: {env: production}}',
    );
    assert.deepEqual(messages({ 'platform.yaml': labels, 'teams/payments/team.yaml': team('    []\n') }), [
      'platform.yaml:18:27 spec.clusters.matchLabels: no cluster has the labels env=production\n' +
        '  hint: check the labels in metadata.labels of your Cluster documents, or select clusters by name',
    ]);
  });

  it('warns when a path covers no file (a typo would leave a file under no ceiling), not a glob awaiting files', () => {
    const paths = platform.replace('paths: ["teams/payments/**"]', 'paths: [teams/paymnets.yaml, "teams/payments/**"]');
    const grants = `    - {role: viewer, namespaces: [payments], clusters: {names: [prod]}}\n`;
    assert.deepEqual(
      messages({ 'platform.yaml': paths, 'teams/payments/team.yaml': team(grants) }).map((m) => m.split('\n')[0]),
      [
        'platform.yaml:15:11 warning: spec.paths[0]: path "teams/paymnets.yaml" ' +
          'covers no config file of this repository',
      ],
    );
    const none = platform.replace('paths: ["teams/payments/**"]', 'paths: [teams/paymnets.yaml, "teams/paymnets/**"]');
    assert.deepEqual(
      messages({ 'platform.yaml': none, 'teams/payments/team.yaml': team('    []\n') }).map((m) => m.split('\n')[0]),
      [
        'platform.yaml:15:10 warning: spec.paths: Delegation payments covers no config file of this repository ' +
          '(paths: teams/paymnets.yaml, teams/paymnets/**)',
      ],
    );
  });

  it('warns about owners CODEOWNERS would read as the wrong kind: a group without org/, a user with a /', () => {
    const owners = platform.replace(
      'owners: {groups: [acme/payments-leads]}',
      'owners: {users: [acme/pat, "@sam"], groups: [payments-leads, "@acme/leads"]}',
    );
    assert.deepEqual(
      messages({ 'platform.yaml': owners, 'teams/payments/team.yaml': team('    []\n') }).map((m) => m.split('\n')[0]),
      [
        'platform.yaml:16:20 warning: spec.owners.users[0]: owner user "acme/pat" looks like a team (org/team)',
        'platform.yaml:16:48 warning: spec.owners.groups[0]: owner group "payments-leads" is not org/team',
      ],
    );
  });
});

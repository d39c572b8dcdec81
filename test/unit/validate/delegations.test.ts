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
        'delegations/everything.yaml:5:11 spec.paths[0]: Delegation everything: path "teams/**" overlaps ' +
          'teams/payments/** of Delegation payments (platform.yaml:11:1): a file belongs to one delegation at most',
        'delegations/everything.yaml:6:11 spec.owners: Delegation everything names no owner: ' +
          'nobody would review its files',
        'delegations/everything.yaml:7:16 spec.namespaces[0]: namespace "kube-system" is reserved (protected, ' +
          "or Roster's token or delegation namespace): it cannot be delegated",
        'delegations/everything.yaml:7:29 warning: spec.namespaces[1]: pattern "*" matches reserved namespaces ' +
          'kube-system, kube-public, kube-node-lease, roster-tokens, roster-delegations; ' +
          'the delegation never covers them',
        'delegations/everything.yaml:8:13 spec.ceiling[0]: role "cluster-viewer" is cluster-scoped: ' +
          "a delegation's ceiling holds namespace-scoped roles only",
        'platform.yaml:15:11 spec.paths[0]: Delegation payments: path "teams/payments/**" overlaps teams/** of ' +
          'Delegation everything (delegations/everything.yaml:1:1): a file belongs to one delegation at most',
        'teams/payments/role.yaml:1:1 teams/payments/role.yaml is covered by several delegations (Delegation ' +
          'everything (delegations/everything.yaml:1:1) by teams/**; Delegation payments (platform.yaml:11:1) by ' +
          'teams/payments/**): a file belongs to one delegation at most',
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

  it('refuses a custom Role in a delegated folder named like a ceiling role: the platform defines roles', () => {
    const platformRole = `apiVersion: roster/v1
kind: Role
metadata: {name: support}
spec: {scope: namespace, rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]}
`;
    const ceiling = platform.replace('ceiling: [viewer, editor]', 'ceiling: [viewer, support]');
    const shadow = platformRole.replace('verbs: [get]', 'verbs: [get, delete]');
    const out = messages({
      'platform.yaml': ceiling,
      'roles/support.yaml': platformRole,
      'teams/payments/support.yaml': shadow,
    }).map((m) => m.split('\n')[0]);
    assert.deepEqual(out, [
      'roles/support.yaml:3:18 metadata.name: duplicate Role "support" ' +
        '(also defined at teams/payments/support.yaml:3:18)',
      'teams/payments/support.yaml:2:7 kind: Role "support" is in a path delegated by Delegation payments ' +
        '(platform.yaml:11:1): a delegated path may not define Roles',
      'teams/payments/support.yaml:3:18 metadata.name: duplicate Role "support" ' +
        '(also defined at roles/support.yaml:3:18)',
    ]);
  });

  it('refuses a file two delegations cover, naming both and the paths that cover it: neither wins', () => {
    const wide = `apiVersion: roster/v1
kind: Delegation
metadata: {name: teams}
spec:
  paths: ["teams/*/team.yaml"]
  owners: {groups: [acme/leads]}
  namespaces: [shop]
  clusters: {names: [prod]}
  ceiling: [viewer]
`;
    const grants = `    - {role: viewer, namespaces: [payments], clusters: {names: [prod]}}\n`;
    const { diagnostics, model } = validateRepo(
      [
        { path: 'platform.yaml', text: platform },
        { path: 'delegations/teams.yaml', text: wide },
        { path: 'teams/payments/team.yaml', text: team(grants) },
      ],
      { now },
    );
    assert.equal(model, undefined, 'exit 2: no model');
    const overlap = diagnostics.filter((d) => d.code === 'delegation-overlap').map(formatDiagnostic);
    assert.deepEqual(overlap, [
      'delegations/teams.yaml:5:11 spec.paths[0]: Delegation teams: path "teams/*/team.yaml" overlaps ' +
        'teams/payments/** of Delegation payments (platform.yaml:11:1): a file belongs to one delegation at most\n' +
        '  hint: narrow the paths so that no file can match both; a file both cover is refused',
      'platform.yaml:15:11 spec.paths[0]: Delegation payments: path "teams/payments/**" overlaps ' +
        'teams/*/team.yaml of Delegation teams (delegations/teams.yaml:1:1): ' +
        'a file belongs to one delegation at most\n' +
        '  hint: narrow the paths so that no file can match both; a file both cover is refused',
      'teams/payments/team.yaml:1:1 teams/payments/team.yaml is covered by several delegations (Delegation payments ' +
        '(platform.yaml:11:1) by teams/payments/**; Delegation teams (delegations/teams.yaml:1:1) by ' +
        'teams/*/team.yaml): a file belongs to one delegation at most\n' +
        '  hint: narrow the paths of those Delegations so that they do not overlap; until then the file is refused',
    ]);
    // Found before any file is there, too; paths that cannot meet are fine.
    const later = (paths: string) => wide.replace('paths: ["teams/*/team.yaml"]', `paths: ${paths}`);
    const codes = (paths: string) =>
      validateRepo(
        [
          { path: 'platform.yaml', text: platform },
          { path: 'delegations/teams.yaml', text: later(paths) },
          { path: 'teams/payments/team.yaml', text: team(grants) },
          { path: 'teams/shop/team.yaml', text: team(grants).replace('name: payments', 'name: shop') },
        ],
        { now },
      )
        .diagnostics.filter((d) => d.code === 'delegation-overlap')
        .map((d) => `${d.file}:${d.path}`);
    assert.deepEqual(codes('["teams/payments/new/*.yaml", "teams/shop/**"]'), [
      'delegations/teams.yaml:spec.paths[0]',
      'platform.yaml:spec.paths[0]',
    ]);
    assert.deepEqual(codes('["teams/shop/**", "teams/payments.yaml"]'), []);
  });

  it('refuses a delegated team naming ServiceAccounts outside the delegation or in reserved namespaces', () => {
    const members = `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members:
    serviceAccounts:
      [payments/ci, payments-eu/batch, checkout/deployer, kube-system/default, roster-delegations/payments]
  grants:
    - {role: viewer, namespaces: [payments], clusters: {names: [prod]}}
`;
    const { diagnostics } = validateRepo(
      [
        { path: 'platform.yaml', text: platform },
        { path: 'teams/payments/team.yaml', text: members },
        // The same members in a platform file are the platform's decision.
        { path: 'teams/platform.yaml', text: members.replace('name: payments', 'name: platform') },
      ],
      { now },
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.code, formatDiagnostic(d).split('\n')[0]]),
      [
        [
          'error',
          'delegation-member',
          'teams/payments/team.yaml:7:40 spec.members.serviceAccounts[2]: ServiceAccount "checkout/deployer" is in ' +
            'namespace "checkout", outside Delegation payments (platform.yaml:11:1): a delegated team names ' +
            'ServiceAccounts of payments, payments-* only',
        ],
        [
          'error',
          'delegation-member',
          'teams/payments/team.yaml:7:59 spec.members.serviceAccounts[3]: ServiceAccount "kube-system/default" is ' +
            'in namespace "kube-system", outside Delegation payments (platform.yaml:11:1): a delegated team names ' +
            'ServiceAccounts of payments, payments-* only',
        ],
        [
          'error',
          'delegation-member',
          'teams/payments/team.yaml:7:80 spec.members.serviceAccounts[4]: ServiceAccount ' +
            '"roster-delegations/payments" is in namespace "roster-delegations", outside Delegation payments ' +
            '(platform.yaml:11:1): a delegated team names ServiceAccounts of payments, payments-* only',
        ],
      ],
    );
  });

  it('refuses a delegated grant for "*" or "kube-*"; under a delegation for "*", still no reserved member', () => {
    const wide = team(`    - {role: viewer, namespaces: ["*", "kube-*"], clusters: {names: [prod]}}\n`);
    assert.deepEqual(
      messages({ 'platform.yaml': platform, 'teams/payments/team.yaml': wide })
        .map((m) => m.split('\n')[0]!)
        .filter((m) => !m.includes(' warning: ')),
      [
        'teams/payments/team.yaml:7:35 spec.grants[0].namespaces[0]: pattern "*" is outside Delegation payments ' +
          '(platform.yaml:11:1): it covers only payments, payments-*',
        'teams/payments/team.yaml:7:40 spec.grants[0].namespaces[1]: pattern "kube-*" is outside Delegation ' +
          'payments (platform.yaml:11:1): it covers only payments, payments-*',
      ],
    );
    const everywhere = platform.replace('namespaces: [payments, "payments-*"]', 'namespaces: ["*"]');
    const members = `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members: {serviceAccounts: [shop/ci, roster-tokens/ci, kube-public/x]}
  grants: [{role: viewer, namespaces: [shop], clusters: {names: [prod]}}]
`;
    const out = messages({ 'platform.yaml': everywhere, 'teams/payments/team.yaml': members })
      .map((m) => m.split('\n')[0]!)
      .filter((m) => !m.includes(' warning: '));
    assert.deepEqual(
      out.map((m) => m.replace(/ is in namespace.*/, '')),
      [
        'teams/payments/team.yaml:5:40 spec.members.serviceAccounts[1]: ServiceAccount "roster-tokens/ci"',
        'teams/payments/team.yaml:5:58 spec.members.serviceAccounts[2]: ServiceAccount "kube-public/x"',
      ],
    );
  });

  it('refuses path globs a forge would read differently from Roster, and any covering CODEOWNERS', () => {
    const globs = platform.replace(
      'paths: ["teams/payments/**"]',
      'paths: ["teams/payments/**", "teams/[pq]ayments/**", "!teams/x", "teams/pay**", "teams/../roster.yaml", ' +
        '"teams//x", ".github/**"]',
    );
    const out = messages({ 'platform.yaml': globs, 'teams/payments/team.yaml': team('    []\n') });
    assert.deepEqual(
      out.map((m) => m.split('\n')[0]),
      [
        'platform.yaml:15:32 spec.paths[1]: Delegation payments: path "teams/[pq]ayments/**" holds [ ] { } or \\, ' +
          "which a forge's CODEOWNERS reads as pattern syntax and Roster as plain characters",
        'platform.yaml:15:56 spec.paths[2]: Delegation payments: path "!teams/x" starts with ! or #, which ' +
          'CODEOWNERS reads as a negation or a comment',
        'platform.yaml:15:68 spec.paths[3]: Delegation payments: path "teams/pay**" uses \'**\' inside a name, ' +
          "where CODEOWNERS reads it as '*' (within one name) and Roster as any folders",
        'platform.yaml:15:83 spec.paths[4]: Delegation payments: path "teams/../roster.yaml" has an empty, \'.\' ' +
          "or '..' folder name: paths are relative to the repository root, without them",
        'platform.yaml:15:107 spec.paths[5]: Delegation payments: path "teams//x" has an empty, \'.\' ' +
          "or '..' folder name: paths are relative to the repository root, without them",
        'platform.yaml:15:119 spec.paths[6]: Delegation payments: path ".github/**" covers .github/CODEOWNERS: ' +
          'its owners could approve changes to who reviews every other file',
      ],
    );
  });

  it('names the delegation when its ceiling names a role nobody defined', () => {
    const typo = platform.replace('ceiling: [viewer, editor]', 'ceiling: [viewer, edtor, support]');
    const { diagnostics } = validateRepo(
      [
        { path: 'platform.yaml', text: typo },
        { path: 'teams/payments/team.yaml', text: team('    []\n') },
      ],
      { now },
    );
    assert.deepEqual(diagnostics.map(formatDiagnostic), [
      'platform.yaml:19:21 spec.ceiling[1]: Delegation payments: ceiling role "edtor" is not defined: ' +
        'unknown role "edtor" (did you mean "editor"?)',
      'platform.yaml:19:28 spec.ceiling[2]: Delegation payments: ceiling role "support" is not defined: ' +
        'unknown role "support"\n' +
        '  hint: built-in roles are viewer, editor, owner, cluster-viewer, cluster-editor, cluster-owner; ' +
        'or define a Role named "support"',
    ]);
    assert.ok(diagnostics.every((d) => d.severity === 'error' && d.code === 'unknown-role'));
  });
  it('reports a delegated grant of an unknown role once, as unknown, not also as above the ceiling', () => {
    const grants = `    - {role: edtor, namespaces: [payments], clusters: {names: [prod]}}
    - {role: owner, namespaces: [payments], clusters: {names: [prod]}}
`;
    const { diagnostics } = validateRepo(
      [
        { path: 'platform.yaml', text: platform },
        { path: 'teams/payments/team.yaml', text: team(grants) },
      ],
      { now },
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.code, formatDiagnostic(d).split('\n')[0]]),
      [
        [
          'unknown-role',
          'teams/payments/team.yaml:7:14 spec.grants[0].role: unknown role "edtor" (did you mean "editor"?)',
        ],
        [
          'delegation-ceiling',
          'teams/payments/team.yaml:8:14 spec.grants[1].role: role "owner" is above the ceiling of Delegation ' +
            'payments (platform.yaml:11:1): it may grant only viewer, editor',
        ],
      ],
    );
  });

  it("refuses a delegated AccessToken owned by a team outside its delegation (the platform's included)", () => {
    const token = (owner: string) => `apiVersion: roster/v1
kind: AccessToken
metadata: {name: ci}
spec:
  owner: ${owner}
  expires: "2026-06-30T00:00:00Z"
  grants: [{role: viewer, namespaces: [payments], clusters: {names: [prod]}}]
`;
    const ops = `apiVersion: roster/v1
kind: Team
metadata: {name: ops}
spec:
  members: {users: [ops@example.com]}
`;
    const files = (owner: string) => ({
      'platform.yaml': platform,
      'teams/ops.yaml': ops,
      'teams/payments/team.yaml': team('    []\n'),
      'teams/payments/token.yaml': token(owner),
    });
    assert.deepEqual(
      messages(files('ops')).map((m) => m.split('\n')[0]),
      [
        'teams/payments/token.yaml:5:10 spec.owner: owner "ops" is a team outside Delegation payments ' +
          '(platform.yaml:11:1) (declared in teams/ops.yaml): a delegated AccessToken is owned by a team of its own ' +
          'delegation',
      ],
    );
    assert.deepEqual(messages(files('payments')), []);
  });
});

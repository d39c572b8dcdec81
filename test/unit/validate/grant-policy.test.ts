import assert from 'node:assert/strict';
import { formatDiagnostic, type Diagnostic } from '../../../src/diagnostics.js';
import { validateRepo } from '../../../src/validate/index.js';

const now = new Date('2026-12-02T00:00:00Z');

const settings = `apiVersion: roster/v1
kind: Settings
metadata: {name: roster}
spec:
  grantPolicy:
    - privileged: true
      maxDuration: 8h
    - roles: [editor]
      clusters: {names: [prod]}
      maxDuration: 30d
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: prod}
spec: {}
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: lab}
spec: {}
---
apiVersion: roster/v1
kind: Team
metadata: {name: ci}
spec:
  members: {users: [ci-owner@example.com]}
`;

const token = (expires: string, grants: string) => `apiVersion: roster/v1
kind: AccessToken
metadata: {name: deployer}
spec:
  owner: ci
  expires: ${expires}
  grants:
${grants}`;

const team = (name: string, user: string, grants: string) => `apiVersion: roster/v1
kind: Team
metadata: {name: ${name}}
spec:
  members: {users: [${user}]}
  grants:
${grants}`;

/** The diagnostics of the Settings (`policy`) in roster.yaml and one more file. */
function validated(path: string, text: string, policy = settings): Diagnostic[] {
  const files = [
    { path: 'roster.yaml', text: policy },
    { path, text },
  ];
  return validateRepo(files, { now }).diagnostics;
}

/** The errors alone, formatted. */
function errorsOf(path: string, text: string, policy = settings): string[] {
  return validated(path, text, policy)
    .filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

function messages(tokenYaml: string): string[] {
  return validated('tokens/deployer.yaml', tokenYaml).map(formatDiagnostic);
}

describe('validate: grantPolicy covers AccessToken grants too', () => {
  it("holds a token's grant to the rule until the token's own expiry, at file:line with the rule", () => {
    const out = messages(token('2026-12-20T00:00:00Z', '    - {role: cluster-owner}\n'));
    assert.deepEqual(out, [
      'tokens/deployer.yaml:8:7 spec.grants[0]: grant of role "cluster-owner" lasts 18d, until the token\'s ' +
        'expires (tokens/deployer.yaml:6:12), longer than 8h (Settings spec.grantPolicy[0] (roster.yaml:6:7): ' +
        'privileged roles: at most 8h, expiry required)\n' +
        '  hint: give this grant expires: 2026-12-02T08:00:00Z or earlier, or let the token expire by then',
    ]);
  });

  it("points at the grant's own expires when that is what lasts too long", () => {
    const grants = '    - {role: editor, namespaces: [ci], clusters: {names: [prod]}, expires: 2027-01-10T00:00:00Z}\n';
    const out = messages(token('2027-02-01T00:00:00Z', grants));
    assert.deepEqual(out, [
      'tokens/deployer.yaml:8:76 spec.grants[0].expires: grant of role "editor" lasts 39d, longer than 30d ' +
        '(Settings spec.grantPolicy[1] (roster.yaml:8:7): editor on clusters prod: at most 30d, expiry required)\n' +
        '  hint: set expires to 2027-01-01T00:00:00Z or earlier',
    ]);
  });

  it('accepts token grants within the policy, and those on clusters a rule does not select', () => {
    const grants =
      '    - {role: cluster-owner, expires: 2026-12-02T06:00:00Z}\n' +
      '    - {role: editor, namespaces: [ci], clusters: {names: [lab]}}\n' +
      '    - {role: editor, namespaces: [ci], clusters: {names: [prod]}, expires: 2026-12-30T00:00:00Z}\n';
    const errors = (yaml: string) => messages(yaml).filter((m) => !m.includes(' warning: '));
    assert.deepEqual(errors(token('2027-02-01T00:00:00Z', grants)), []);
    // A token that ends within the rule's limit needs no expires on its grants.
    assert.deepEqual(errors(token('2026-12-02T07:00:00Z', '    - {role: cluster-owner}\n')), []);
  });
});

describe('validate: grantPolicy requireReason', () => {
  const withReason = settings.replace('      maxDuration: 8h\n', '      maxDuration: 8h\n      requireReason: true\n');
  const check = (grant: string) => errorsOf('teams/sre.yaml', team('sre', 'sam@example.com', grant), withReason);

  it('fails a hand-written covered grant without a reason at file:line, naming the rule', () => {
    const errors = check('    - {role: cluster-owner, expires: 2026-12-02T04:00:00Z}\n');
    assert.deepEqual(errors, [
      'teams/sre.yaml:7:7 spec.grants[0]: grant of role "cluster-owner" needs a reason (Settings ' +
        'spec.grantPolicy[0] (roster.yaml:6:7): privileged roles: at most 8h, expiry required, reason required)\n' +
        '  hint: add description: the ticket or incident it is for (`roster grant --reason TEXT` writes it there)',
    ]);
  });

  it('accepts it with a description (where grant --reason writes the reason), and leaves other roles alone', () => {
    assert.deepEqual(
      check('    - {role: cluster-owner, expires: 2026-12-02T04:00:00Z, description: INC-42 database failover}\n'),
      [],
    );
    assert.deepEqual(check('    - {role: viewer, namespaces: [sre]}\n'), []);
  });
});

describe('validate: grantPolicy on hand-written team grants', () => {
  const errors = (grants: string, policy = settings) =>
    errorsOf('teams/payments.yaml', team('payments', 'alice@example.com', grants), policy);

  it('fails an editor grant in prod longer than 30d at its expires, naming the rule and the latest allowed end', () => {
    assert.deepEqual(
      errors(
        '    - role: editor\n      namespaces: [payments]\n      clusters: {names: [prod]}\n' +
          '      expires: 2027-01-15T00:00:00Z\n',
      ),
      [
        'teams/payments.yaml:10:16 spec.grants[0].expires: grant of role "editor" lasts 44d, longer than 30d ' +
          '(Settings spec.grantPolicy[1] (roster.yaml:8:7): editor on clusters prod: at most 30d, expiry ' +
          'required)\n  hint: set expires to 2027-01-01T00:00:00Z or earlier',
      ],
    );
  });

  it('fails an editor grant on every cluster (it reaches prod) that never expires', () => {
    assert.deepEqual(errors('    - {role: editor, namespaces: [payments]}\n'), [
      'teams/payments.yaml:7:7 spec.grants[0]: grant of role "editor" must expire (Settings spec.grantPolicy[1] ' +
        '(roster.yaml:8:7): editor on clusters prod: at most 30d, expiry required)\n' +
        '  hint: add expires: 2027-01-01T00:00:00Z or earlier',
    ]);
  });

  it('leaves editor on a cluster the rule does not select, and counts from a later notBefore', () => {
    assert.deepEqual(errors('    - {role: editor, namespaces: [payments], clusters: {names: [lab]}}\n'), []);
    assert.deepEqual(
      errors(
        '    - {role: cluster-owner, clusters: {names: [lab]}, notBefore: 2026-12-10T00:00:00Z, ' +
          'expires: 2026-12-10T08:00:00Z}\n',
      ),
      [],
    );
    assert.match(
      errors('    - {role: cluster-owner, clusters: {names: [lab]}, expires: 2026-12-02T09:00:00Z}\n').join('\n'),
      /grant of role "cluster-owner" lasts 9h, longer than 8h \(Settings spec\.grantPolicy\[0\]/,
    );
  });

  it('refuses a rule that covers no grant', () => {
    const policy = settings.replace('    - privileged: true\n      maxDuration: 8h\n', '    - maxDuration: 8h\n');
    assert.match(
      errors('    - {role: viewer}\n', policy).join('\n'),
      /spec\.grantPolicy\[0\]: this rule covers no grant/,
    );
  });
});

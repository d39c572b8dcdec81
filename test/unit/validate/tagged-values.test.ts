/**
 * YAML type tags (`!!binary`, `!!timestamp`, `!!set`, `!!omap`) make values that are not JSON. Where Roster expects
 * a string or any plain value, the error names the tag at file:line:col instead of printing the value as JSON.
 */
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { validateRepo } from '../../../src/validate/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const HINT = '  hint: remove the YAML tag (!!…) and write the value itself';

function errors(text: string): string[] {
  const { diagnostics } = validateRepo([{ path: 'teams/payments.yaml', text }], { now });
  assert.ok(diagnostics.every((d) => d.severity === 'error'));
  return diagnostics.map(formatDiagnostic);
}

describe('validate: values made by YAML type tags', () => {
  it('a !!binary kind is "a !!binary value, not a string", not {"type":"Buffer",…}', () => {
    const out = errors(`apiVersion: roster/v1
kind: !!binary VGVhbQ==
metadata: {name: payments}
spec:
  members: {users: [alice@example.com]}
`);
    assert.equal(out.length, 1);
    assert.equal(
      out[0],
      'teams/payments.yaml:2:16 kind: a !!binary value, not a string\n' +
        `${HINT}: one of Settings, Cluster, Role, Team, AccessToken, Delegation, Suspension`,
    );
    assert.doesNotMatch(out.join(), /Buffer/);
  });

  it('names the tag wherever a string is expected', () => {
    assert.deepEqual(
      errors(`apiVersion: roster/v1
kind: Team
metadata: {name: !!binary cGF5bWVudHM=}
spec:
  members: {users: [!!timestamp 2001-12-14, !!set {a, b}, !!omap [{a: 1}]]}
  grants:
    - {role: viewer, namespaces: [payments], expires: !!timestamp 2027-01-01T00:00:00Z}
`),
      [
        `teams/payments.yaml:3:27 metadata.name: a !!binary value, not a string\n${HINT}`,
        `teams/payments.yaml:5:33 spec.members.users[0]: a !!timestamp value, not a string\n${HINT}`,
        `teams/payments.yaml:5:51 spec.members.users[1]: a !!set value, not a string\n${HINT}`,
        `teams/payments.yaml:5:66 spec.members.users[2]: a !!omap value, not a string\n${HINT}`,
        `teams/payments.yaml:7:67 spec.grants[0].expires: a !!timestamp value, not a string\n${HINT}`,
      ],
    );
  });

  it('refuses a tagged mapping that would pass as an empty one, once, without errors from inside it', () => {
    assert.deepEqual(
      errors(`apiVersion: roster/v1
kind: Team
metadata: !!omap [{name: payments}]
spec:
  members: !!set {alice@example.com}
`),
      [
        'teams/payments.yaml:3:18 metadata: a !!omap value, not plain YAML data ' +
          `(a mapping, list, string, number or boolean)\n${HINT}`,
        'teams/payments.yaml:5:18 spec.members: a !!set value, not plain YAML data ' +
          `(a mapping, list, string, number or boolean)\n${HINT}`,
      ],
    );
  });

  it('a tagged apiVersion is an error, not a document silently ignored', () => {
    assert.deepEqual(
      errors(`apiVersion: !!binary cm9zdGVyL3Yx
kind: Team
metadata: {name: payments}
spec: {members: {users: [alice@example.com]}}
`),
      [`teams/payments.yaml:1:22 apiVersion: a !!binary value, not a string\n${HINT}`],
    );
  });
});

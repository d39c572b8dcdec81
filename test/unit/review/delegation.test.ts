import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { reviewChange } from '../../../src/review/index.js';
import { validateRepo } from '../../../src/validate/index.js';

const now = new Date('2026-06-01T00:00:00Z');

const platform = `apiVersion: roster/v1
kind: Cluster
metadata: {name: prod}
spec: {}
---
apiVersion: roster/v1
kind: Delegation
metadata: {name: payments}
spec:
  paths: ["teams/payments/**"]
  owners: {users: [alice]}
  namespaces: [payments]
  ceiling: [viewer, editor]
`;
const team = (users: string) => `apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members: {users: [${users}]}
  grants: [{role: editor, namespaces: [payments]}]
`;

function side(users: string) {
  const { model, diagnostics } = validateRepo(
    [
      { path: 'roster.yaml', text: platform },
      { path: 'teams/payments/team.yaml', text: team(users) },
    ],
    { now },
  );
  assert.ok(model, JSON.stringify(diagnostics));
  return { model, result: compile(model, [{ name: 'prod' }], now) };
}

describe('review: roster diff names the delegation a grant came from', () => {
  it('says "via team payments (delegation payments)" for access granted in a delegated file', () => {
    const diff = reviewChange(side('pat@example.com'), side('pat@example.com, sam@example.com'));
    assert.deepEqual(
      diff.access.map((c) => [c.change, c.who.name, c.role, c.via]),
      [['gains', 'sam@example.com', 'editor', ['team payments (delegation payments)']]],
    );
  });
});

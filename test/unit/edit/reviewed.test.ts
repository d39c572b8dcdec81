import assert from 'node:assert/strict';
import { setReviewed } from '../../../src/edit/reviewed.js';

const REVIEW = { at: '2026-12-02T00:00:00Z', by: 'Rita Reviewer <rita@example.com>' };

const FILE = `# yaml-language-server: $schema=../schemas/team.json
# Payments engineering
apiVersion: roster/v1
kind: Team
metadata: {name: payments}
spec:
  members:
    users: [alice@example.com, "dave@example.com"]   # leads
  grants:
    - role: editor
      namespaces: [payments, 'payments-*']

# kept at the end
---
apiVersion: roster/v1
kind: Team
metadata:
  name: ops
spec:
  members: {groups: [ops]}
  reviewed:
    at: 2025-01-01T00:00:00Z   # first review
    by: old@example.com
`;

describe('review attest: editing spec.reviewed in place', () => {
  it('adds spec.reviewed at the end of spec and changes no other byte', () => {
    const out = setReviewed(FILE, 0, REVIEW);
    const added = '  reviewed:\n    at: 2026-12-02T00:00:00Z\n    by: Rita Reviewer <rita@example.com>\n';
    const at = FILE.indexOf("'payments-*']\n") + "'payments-*']\n".length;
    assert.equal(out, FILE.slice(0, at) + added + FILE.slice(at));
  });

  it('replaces only the two values of an existing review, keeping its comment', () => {
    const out = setReviewed(FILE, 1, REVIEW);
    assert.equal(
      out,
      FILE.replace('at: 2025-01-01T00:00:00Z   # first review', 'at: 2026-12-02T00:00:00Z   # first review').replace(
        'by: old@example.com',
        'by: Rita Reviewer <rita@example.com>',
      ),
    );
  });

  it('attesting twice changes only the values again', () => {
    const once = setReviewed(FILE, 0, REVIEW);
    const twice = setReviewed(once, 0, { at: '2027-03-01T00:00:00Z', by: 'x@example.com' });
    assert.equal(setReviewed(twice, 0, REVIEW), once);
  });

  it('handles a flow-style spec through the document model', () => {
    const out = setReviewed(
      'apiVersion: roster/v1\nkind: Team\nmetadata: {name: a}\nspec: {members: {users: [a]}}\n',
      0,
      REVIEW,
    );
    assert.match(out, /^metadata: \{name: a\}$/m);
    assert.match(out, /reviewed: \{ ?at: 2026-12-02T00:00:00Z, by: Rita Reviewer <rita@example.com> ?\}/);
  });
});

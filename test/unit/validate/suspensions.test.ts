import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { validateRepo } from '../../../src/validate/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const files = (suspension: string): { path: string; text: string }[] => [
  { path: 'c.yaml', text: 'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: dev}\nspec: {}\n' },
  {
    path: 'teams/web.yaml',
    text:
      'apiVersion: roster/v1\nkind: Team\nmetadata: {name: web}\nspec:\n' +
      '  members: {users: [alice@example.com], groups: [web-eng]}\n  grants:\n' +
      '    - {role: editor, namespaces: [web]}\n',
  },
  {
    path: 'tokens/ci.yaml',
    text:
      'apiVersion: roster/v1\nkind: AccessToken\nmetadata: {name: ci}\n' +
      'spec: {owner: web, expires: 2026-07-01T00:00:00Z}\n',
  },
  {
    path: 'suspensions/s.yaml',
    text: `apiVersion: roster/v1\nkind: Suspension\nmetadata: {name: s}\nspec:\n${suspension}`,
  },
];
const lines = (suspension: string): string[] =>
  validateRepo(files(suspension), { now }).diagnostics.map((d) => formatDiagnostic(d));

describe('validate: Suspension', () => {
  it('reads a suspension into the model', () => {
    const { model, diagnostics } = validateRepo(
      files('  reason: leak\n  expires: 2026-07-01T00:00:00Z\n  subjects: {tokens: [ci], groups: [web-eng]}\n'),
      { now },
    );
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(model!.suspensions![0]!.subjects, {
      users: [],
      groups: ['web-eng'],
      serviceAccounts: [],
      tokens: ['ci'],
    });
    assert.equal(model!.suspensions![0]!.expires?.toISOString(), '2026-07-01T00:00:00.000Z');
  });

  it('needs a reason and at least one subject', () => {
    const out = lines('  subjects: {}\n');
    assert.ok(
      out.some((l) => /spec\.reason: missing required field "reason"/.test(l)),
      out.join('\n'),
    );
    assert.ok(
      out.some((l) => /spec\.subjects/.test(l)),
      out.join('\n'),
    );
  });

  it('refuses an unknown token with a suggestion, and warns about names nothing grants', () => {
    assert.deepEqual(lines('  reason: r\n  subjects: {tokens: [cj], users: [alise@example.com]}\n'), [
      'suspensions/s.yaml:6:23 spec.subjects.tokens[0]: unknown token "cj" (did you mean "ci"?)\n' +
        '  hint: name the metadata.name of an AccessToken; suspend other service accounts under serviceAccounts',
      'suspensions/s.yaml:6:36 warning: spec.subjects.users[0]: ' +
        'no Team names the user "alise@example.com" (did you mean "alice@example.com"?)\n' +
        '  hint: suspending a name nothing grants changes nothing; ' +
        'check the spelling (names are written without prefixes)',
    ]);
  });

  it("warns that a suspended user's team groups still reach them, and that an ended suspension does nothing", () => {
    const out = lines('  reason: r\n  expires: 2026-05-01T00:00:00Z\n  subjects: {users: [alice@example.com]}\n');
    assert.ok(
      out.some((l) => /alice@example\.com is suspended, but the groups "web-eng" of their teams are not/.test(l)),
    );
    assert.ok(out.some((l) => /warning: spec\.expires: suspension s ended on 2026-05-01T00:00:00Z/.test(l)));
    assert.deepEqual(lines('  reason: r\n  subjects: {users: [alice@example.com], groups: [web-eng]}\n'), []);
  });
});

import assert from 'node:assert/strict';
import type { SuspendedMember } from '../../../src/compile/types.js';
import { renderSuspended } from '../../../src/report/suspensions.js';
import { describeSuspensionChange, suspensionChanges } from '../../../src/review/index.js';
import { compile } from '../../../src/compile/index.js';
import { runJson } from '../../../src/report/changes-json.js';
import { render } from '../../../src/cli/reconcile-command.js';
import { acmeModel, NOW } from '../../support/models.js';

const member = (holder: string, kind: SuspendedMember['kind'], name: string): SuspendedMember => ({
  holder: { kind: 'team', name: holder },
  kind,
  name,
  suspension: 'offboarding',
  reason: 'left',
  until: '2026-09-01T00:00:00Z',
  source: 'suspensions/o.yaml:1:1',
});

describe('suspensions in reports', () => {
  it('says once per subject who is left out, of which teams, until when and why', () => {
    const text = renderSuspended([
      member('payments', 'User', 'alice@example.com'),
      member('oncall', 'User', 'alice@example.com'),
    ]);
    assert.equal(
      text,
      'Suspended (1), left out of every binding on every cluster:\n' +
        '  User alice@example.com: suspended by Suspension offboarding until 2026-09-01T00:00:00Z: ' +
        'left (left out of team payments, team oncall)  suspensions/o.yaml:1:1\n',
    );
    assert.equal(renderSuspended([]), '');
  });

  it('plan and apply -o json list who is suspended, as the text and plan --offline do', () => {
    const source = { file: 'suspensions/offboarding.yaml', doc: 0, line: 4, col: 3 };
    const subjects = { users: ['alice@example.com'], groups: [], serviceAccounts: [], tokens: [] };
    const model = { ...acmeModel(), suspensions: [{ name: 'offboarding', reason: 'left, OPS-1', subjects, source }] };
    const result = { mode: 'plan' as const, dryRun: false, clusters: [] };
    const json = runJson(result, { suspended: compile(model, [], NOW).suspended });
    assert.deepEqual(json.suspended, [
      {
        kind: 'User',
        name: 'alice@example.com',
        suspension: 'offboarding',
        reason: 'left, OPS-1',
        source: 'suspensions/offboarding.yaml:4:3',
        holders: ['team payments'],
      },
    ]);
    assert.deepEqual(Object.keys(json), ['version', 'mode', 'dryRun', 'clusters', 'suspended', 'summary']);
    assert.deepEqual(runJson(result, { suspended: compile(acmeModel(), [], NOW).suspended }).suspended, []);
  });

  it('plan -o markdown has a Suspended section with the same subjects as the JSON, none when nobody is', () => {
    const source = { file: 'suspensions/offboarding.yaml', doc: 0, line: 4, col: 3 };
    const subjects = { users: ['alice@example.com'], groups: ['payments-eng'], serviceAccounts: [], tokens: [] };
    const expires = new Date('2026-09-01T00:00:00Z');
    const suspension = { name: 'offboarding', reason: 'left | OPS-1', expires, subjects, source };
    const model = { ...acmeModel(), suspensions: [suspension] };
    const result = { mode: 'plan' as const, dryRun: false, clusters: [] };
    const md = render(result, 'markdown', false, { suspended: compile(model, [], NOW).suspended });
    const section = md.slice(md.indexOf('#### Suspended'));
    assert.equal(
      section,
      '#### Suspended (2)\n\n' +
        'Left out of every binding on every cluster, whatever grants them:\n\n' +
        '| subject | suspension | until | reason | left out of | where |\n' +
        '|---|---|---|---|---|---|\n' +
        '| Group `payments-eng` | `offboarding` | 2026-09-01T00:00:00Z | left \\| OPS-1 | team payments | ' +
        '`suspensions/offboarding.yaml:4:3` |\n' +
        '| User `alice@example.com` | `offboarding` | 2026-09-01T00:00:00Z | left \\| OPS-1 | team payments | ' +
        '`suspensions/offboarding.yaml:4:3` |\n',
    );
    const none = render(result, 'markdown', false, { suspended: compile(acmeModel(), [], NOW).suspended });
    assert.doesNotMatch(none, /Suspended/);
  });

  it('tells a reviewer a suspension was added, changed or lifted', () => {
    const base = acmeModel();
    const src = { file: 's.yaml', doc: 0, line: 1, col: 1 };
    const subjects = { users: ['alice@example.com'], groups: [], serviceAccounts: [], tokens: ['ci-deployer'] };
    const head = { ...acmeModel(), suspensions: [{ name: 'leak', reason: 'token leaked', subjects, source: src }] };
    assert.deepEqual(suspensionChanges(base, head).map(describeSuspensionChange), [
      'Suspension leak suspends User alice@example.com, AccessToken ci-deployer: token leaked',
    ]);
    assert.deepEqual(suspensionChanges(head, base).map(describeSuspensionChange), [
      'Suspension leak lifted: User alice@example.com, AccessToken ci-deployer get their access back',
    ]);
    assert.deepEqual(suspensionChanges(head, head), []);
  });
});

/**
 * What grant, revoke and request accept on the command line: subjects, --for and --until. Every refusal is an
 * EditError (exit 2) that quotes the input and says what to write instead.
 */
import assert from 'node:assert/strict';
import { expiryOf, parseFor, parseUntil } from '../../../src/edit/duration.js';
import { EditError } from '../../../src/edit/errors.js';
import { parseSubject } from '../../../src/edit/subject.js';
import { ExitCode } from '../../../src/errors.js';

const NOW = new Date('2026-12-02T02:00:00.250Z');

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EditError, String(err));
    assert.equal(err.reason, 'invalid-request');
    assert.equal(err.exitCode, ExitCode.invalidConfig);
    assert.match(err.message, message);
    assert.ok(!err.message.includes('\n'), 'one line, whatever the input held');
    return true;
  });
}

describe('edit input: subjects', function () {
  it('reads user:, group: and sa: subjects', function () {
    assert.deepEqual(parseSubject('user:alice@example.com'), { kind: 'user', name: 'alice@example.com' });
    assert.deepEqual(parseSubject('group:payments-eng'), { kind: 'group', name: 'payments-eng' });
    assert.deepEqual(parseSubject('sa:ci/deployer'), { kind: 'serviceAccount', name: 'ci/deployer' });
  });

  it('refuses a subject without a kind, naming the forms that work', function () {
    refused(
      () => parseSubject('alice'),
      /^subject "alice": not of the form user:EMAIL, group:NAME or sa:NS\/NAME \(write user:alice@example\.com/,
    );
    refused(() => parseSubject('person:alice@example.com'), /not of the form user:EMAIL/);
  });

  it('refuses a kind with no name', function () {
    refused(() => parseSubject('user:'), /^subject "user:": the name after "user:" is missing/);
    refused(() => parseSubject('group:'), /the name after "group:" is missing/);
  });

  it('refuses a service account without its namespace, or with upper case', function () {
    refused(() => parseSubject('sa:nonamespace'), /^subject "sa:nonamespace": a service account is sa:NAMESPACE\/NAME/);
    refused(() => parseSubject('sa:ci/'), /a service account is sa:NAMESPACE\/NAME/);
    refused(() => parseSubject('sa:CI/deployer'), /in lower case, e\.g\. sa:ci\/deployer/);
  });

  it('refuses a line break or a tab in a name, and shows it escaped', function () {
    refused(
      () => parseSubject('user:a@b.c\n'),
      /^subject "user:a@b\.c\\n": a name cannot contain spaces, tabs or line/,
    );
    refused(() => parseSubject('group:a\tb'), /^subject "group:a\\tb"/);
    refused(() => parseSubject('user:a b'), /cannot contain spaces/);
  });
});

describe('edit input: --for and --until', function () {
  it('reads durations and their sums', function () {
    assert.equal(parseFor('20s'), 20);
    assert.equal(parseFor('1h30m'), 5_400);
    assert.equal(parseFor('2w'), 1_209_600);
    assert.deepEqual(expiryOf({ for: '4h' }, NOW), new Date('2026-12-02T06:00:00Z'));
  });

  it('refuses zero, negative and malformed durations', function () {
    refused(() => parseFor('0s'), /^--for "0s": the grant would end as it starts; give a positive duration like 20s/);
    refused(() => parseFor('0h0m'), /would end as it starts/);
    refused(() => parseFor('-1h'), /^--for "-1h": a grant cannot end before it starts/);
    refused(() => parseFor('4x'), /^--for "4x": not a duration; write one like 20s, 30m, 4h, 2d, 1w or 1h30m$/);
    refused(() => parseFor('4 h'), /not a duration/);
    refused(() => parseFor(''), /not a duration/);
    refused(() => parseFor('99999999999999999999d'), /longer than 100 years/);
  });

  it('reads a date (midnight UTC) or a date-time with its offset', function () {
    assert.deepEqual(parseUntil('2027-01-31', NOW), new Date('2027-01-31T00:00:00Z'));
    assert.deepEqual(parseUntil('2027-01-31T18:00:00+01:00', NOW), new Date('2027-01-31T17:00:00Z'));
    assert.deepEqual(parseUntil('2027-01-31T18:00Z', NOW), new Date('2027-01-31T18:00:00Z'));
  });

  it('refuses a time in the past, saying what time it is now', function () {
    refused(
      () => parseUntil('2020-01-01', NOW),
      /^--until "2020-01-01": lies in the past \(it is now 2026-12-02T02:00:00Z\); give a later time, or a duration/,
    );
    refused(() => parseUntil('2026-12-02T02:00:00Z', NOW), /lies in the past/);
  });

  it('refuses a day or time that does not exist instead of rolling it over', function () {
    refused(
      () => parseUntil('2027-02-30', NOW),
      /^--until "2027-02-30": no such date or time; write one like 2027-01-31/,
    );
    refused(() => parseUntil('2027-13-01', NOW), /no such date or time/);
    refused(() => parseUntil('2027-01-31T24:30:00Z', NOW), /no such date or time/);
  });

  it('refuses words, and a date-time without an offset', function () {
    refused(() => parseUntil('tomorrow', NOW), /^--until "tomorrow": not a date; write one like 2027-01-31 \(midnight/);
    refused(() => parseUntil('31/01/2027', NOW), /not a date/);
    refused(() => parseUntil('2027-01-31T18:00:00', NOW), /a time needs its offset, .*add Z \(UTC\) or \+01:00/);
  });
});

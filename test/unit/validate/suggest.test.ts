import assert from 'node:assert/strict';
import { formatPath, pointerToPath } from '../../../src/validate/paths.js';
import { closest, levenshtein } from '../../../src/validate/suggest.js';
import { formatDuration, parseDuration } from '../../../src/time.js';
import { globToRegExp } from '../../../src/model/patterns.js';

describe('validate helpers', () => {
  it('measures edit distance', () => {
    assert.equal(levenshtein('deployr', 'deployer'), 1);
    assert.equal(levenshtein('', 'abc'), 3);
  });

  it('suggests only close names', () => {
    assert.equal(closest('namspaces', ['namespaces', 'clusters', 'role']), 'namespaces');
    assert.equal(closest('admin', ['viewer', 'editor', 'owner']), undefined);
    assert.equal(closest('Team', ['Team']), 'Team');
  });

  it('prints JSON paths with indexes and quoted odd keys', () => {
    assert.equal(formatPath(['spec', 'grants', 1, 'role']), 'spec.grants[1].role');
    assert.equal(formatPath(['metadata', 'labels', 'example.com/team']), 'metadata.labels["example.com/team"]');
    assert.deepEqual(pointerToPath({ a: [{ 'b/c': 1 }] }, '/a/0/b~1c'), ['a', 0, 'b/c']);
  });

  it('parses and prints durations', () => {
    assert.equal(parseDuration('90d'), 90 * 86400);
    assert.equal(parseDuration('30m'), 1800);
    assert.equal(formatDuration(parseDuration('12h')), '12h');
  });

  it('matches namespace globs with * and ?', () => {
    assert.ok(globToRegExp('payments-*').test('payments-eu'));
    assert.ok(!globToRegExp('payments-*').test('payment'));
    assert.ok(globToRegExp('web-?').test('web-1') && !globToRegExp('web-?').test('web-12'));
  });
});

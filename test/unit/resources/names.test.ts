import assert from 'node:assert/strict';
import { bindingName, boundedLabelValue, boundedName, MAX_NAME_LENGTH } from '../../../src/resources/names.js';

describe('names', () => {
  it('joins parts with colons when short enough', () => {
    assert.equal(boundedName(['roster', 'team', 'payments', 'editor']), 'roster:team:payments:editor');
    assert.equal(bindingName({ kind: 'token', name: 'ci' }, 'deployer'), 'roster:token:ci:deployer');
  });

  it('keeps a name of exactly the limit untouched', () => {
    const name = 'x'.repeat(MAX_NAME_LENGTH);
    assert.equal(boundedName([name]), name);
  });

  it('truncates long names to at most 253 characters with a 10-hex hash suffix', () => {
    const long = boundedName(['roster', 'team', 'a'.repeat(300), 'editor']);
    assert.equal(long.length, MAX_NAME_LENGTH);
    assert.match(long, /^roster:team:a+-[0-9a-f]{10}$/);
  });

  it('is stable across calls and distinct for names sharing a long prefix', () => {
    const prefix = 'p'.repeat(260);
    assert.equal(boundedName([prefix, 'one']), boundedName([prefix, 'one']));
    assert.notEqual(boundedName([prefix, 'one']), boundedName([prefix, 'two']));
  });

  it('honours a smaller limit', () => {
    assert.equal(boundedName(['a'.repeat(30)], 20).length, 20);
  });

  it('bounds label values at 63 characters, ending in an alphanumeric', () => {
    const value = boundedLabelValue(`${'team-'.repeat(20)}x`);
    assert.equal(value.length, 63);
    assert.match(value, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    assert.equal(boundedLabelValue('short'), 'short');
  });
});

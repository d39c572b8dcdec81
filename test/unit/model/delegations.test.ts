import assert from 'node:assert/strict';
import { globsOverlap, namespaceWithin, pathGlobToRegExp, selectorWithin } from '../../../src/model/delegations.js';

describe('model: delegation paths and limits', () => {
  it('matches path globs: ** across folders, * within a name, a plain path as a file or a folder', () => {
    const cases: Array<[string, string, boolean]> = [
      ['teams/payments/**', 'teams/payments/team.yaml', true],
      ['teams/payments/**', 'teams/payments/eu/tokens.yaml', true],
      ['teams/payments/**', 'teams/payments.yaml', false],
      ['teams/payments/**', 'teams/payments-old/team.yaml', false],
      ['teams/*.yaml', 'teams/payments.yaml', true],
      ['teams/*.yaml', 'teams/payments/team.yaml', false],
      ['**/payments.yaml', 'teams/payments.yaml', true],
      ['**/payments.yaml', 'payments.yaml', true],
      ['teams/payments', 'teams/payments/team.yaml', true],
      ['teams/payments', 'teams/payments.yaml', false],
      ['teams/pay?ents.yaml', 'teams/payments.yaml', true],
      ['teams/a.b.yaml', 'teams/aXb.yaml', false],
    ];
    for (const [glob, file, expected] of cases)
      assert.equal(pathGlobToRegExp(glob).test(file), expected, `${glob} vs ${file}`);
  });

  it('keeps namespaces and patterns inside the delegated ones', () => {
    const delegated = ['payments', 'payments-*', 'shop-?'];
    assert.ok(namespaceWithin('payments', delegated));
    assert.ok(namespaceWithin('payments-eu', delegated));
    assert.ok(namespaceWithin('payments-eu-*', delegated));
    assert.ok(namespaceWithin('payments-*', delegated));
    assert.ok(namespaceWithin('shop-?', delegated));
    assert.ok(namespaceWithin('shop-a', delegated));
    assert.ok(!namespaceWithin('pay*', delegated), 'a wider pattern');
    assert.ok(!namespaceWithin('*', delegated));
    assert.ok(!namespaceWithin('shop-*', delegated), 'wider than shop-?');
    assert.ok(!namespaceWithin('billing', delegated));
  });

  it('keeps cluster selectors inside the delegated one', () => {
    const clusters = [
      { name: 'prod-eu', labels: { env: 'prod' } },
      { name: 'lab', labels: { env: 'lab' } },
    ];
    const prod = { matchLabels: { env: 'prod' } };
    assert.ok(selectorWithin({ all: true }, { all: true }, clusters));
    assert.ok(!selectorWithin({ all: true }, prod, clusters));
    assert.ok(selectorWithin({ names: ['prod-eu'] }, prod, clusters));
    assert.ok(!selectorWithin({ names: ['prod-eu', 'lab'] }, prod, clusters));
    assert.ok(!selectorWithin({ names: ['unknown'] }, prod, clusters));
    assert.ok(selectorWithin({ matchLabels: { env: 'prod', tier: '1' } }, prod, clusters));
    assert.ok(!selectorWithin({ matchLabels: { tier: '1' } }, prod, clusters));
    assert.ok(selectorWithin({ names: ['lab'] }, { names: ['lab', 'prod-eu'] }, clusters));
    assert.ok(!selectorWithin({ matchLabels: { env: 'lab' } }, { names: ['lab'] }, clusters));
  });
  it('tells whether two path globs can cover the same file, with no file there', () => {
    const meet: [string, string][] = [
      ['teams/**', 'teams/payments/**'],
      ['teams/*/team.yaml', 'teams/payments/**'],
      ['teams/payments', 'teams/payments/sub/x.yaml'],
      ['teams/pay*.yaml', 'teams/*ments.yaml'],
      ['**/team.yaml', 'teams/payments/team.yaml'],
      ['teams/?ay/**', 'teams/pay/x.yaml'],
      ['**', 'a'],
    ];
    const apart: [string, string][] = [
      ['teams/payments/**', 'teams/shop/**'],
      ['teams/payments.yaml', 'teams/payments/**'],
      ['teams/*.yaml', 'teams/payments/team.yaml'],
      ['teams/pay*.yaml', 'teams/*shop.yml'],
      ['teams/?/**', 'teams/ab/x.yaml'],
    ];
    for (const [a, b] of meet) {
      assert.equal(globsOverlap(a, b), true, `${a} and ${b} meet`);
      assert.equal(globsOverlap(b, a), true, `${b} and ${a} meet`);
    }
    for (const [a, b] of apart) {
      assert.equal(globsOverlap(a, b), false, `${a} and ${b} are apart`);
      assert.equal(globsOverlap(b, a), false, `${b} and ${a} are apart`);
    }
  });
});

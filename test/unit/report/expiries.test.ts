import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { describeLeft, renderExpiries } from '../../../src/report/expiries.js';
import { assertGolden } from '../../support/golden.js';
import { NOW, acmeModel, offlineFacts } from '../../support/models.js';

describe('report: upcoming expiries', () => {
  it('lists tokens and time-bound grants soonest first, with the time left and the file', () => {
    const model = acmeModel();
    const { expiries } = compile(model, offlineFacts(model), NOW);
    assertGolden('report/expiries.txt', renderExpiries(expiries, { now: NOW, warningDays: 200 }));
  });

  it('prints nothing when nothing expires', () => {
    assert.equal(renderExpiries([], { now: NOW }), '');
  });

  it('marks entries inside the warning window as soon', () => {
    const text = renderExpiries(
      [{ holder: { kind: 'token', name: 'ci' }, expires: '2026-03-04T00:00:00.000Z', source: 'tokens/ci.yaml:1:1' }],
      { now: NOW },
    );
    assert.match(text, /in 3 days \(soon\) {2}token ci {2}tokens\/ci\.yaml:1:1/);
  });

  it('rounds the time left down, never overstating it', () => {
    assert.deepEqual(
      [describeLeft(1.99), describeLeft(1), describeLeft(0.5), describeLeft(0.01)],
      ['1 day', '1 day', '12 hours', 'less than an hour'],
    );
  });
});

import assert from 'node:assert/strict';
import { diffOwned } from '../../../src/reconcile/diff.js';
import { pairObjects } from '../../../src/reconcile/pair.js';
import { asLive, binding } from './objects.js';

describe('diff: unified diffs of owned fields, live → desired', () => {
  it('shows a hand-edited subject as - live / + desired lines', () => {
    const [pair] = pairObjects([binding('b', 'ns', ['alice'])], [asLive(binding('b', 'ns', ['mallory']))]);
    const diff = diffOwned(pair!);
    assert.match(diff, /^--- live\/RoleBinding\/ns\/b\n\+\+\+ desired\/RoleBinding\/ns\/b\n/);
    assert.match(diff, /^- {4}name: mallory$/m);
    assert.match(diff, /^\+ {4}name: alice$/m);
    assert.doesNotMatch(diff, /resourceVersion|uid|managedFields/);
  });

  it('renders a create as an all-plus diff and a prune as an all-minus diff', () => {
    const [create] = pairObjects([binding('b', 'ns', ['alice'])], []);
    const [prune] = pairObjects([], [asLive(binding('b', 'ns', ['alice']))]);
    const added = diffOwned(create!)
      .split('\n')
      .filter((l) => /^[+-] /.test(l) || /^[+-][a-z]/.test(l));
    assert.ok(added.length > 0 && added.every((l) => l.startsWith('+')));
    const removed = diffOwned(prune!)
      .split('\n')
      .filter((l) => /^[+-][a-z ]/.test(l));
    assert.ok(removed.length > 0 && removed.every((l) => l.startsWith('-')));
  });

  it('gives the same bytes for the same pair', () => {
    const make = () => pairObjects([binding('b', 'ns', ['alice', 'bob'])], [asLive(binding('b', 'ns', ['bob']))])[0]!;
    assert.equal(diffOwned(make()), diffOwned(make()));
  });
});

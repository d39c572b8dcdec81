import assert from 'node:assert/strict';
import { pairObjects, Verdict } from '../../../src/reconcile/pair.js';
import { formatKey } from '../../../src/resources/key.js';
import type { ManagedObject } from '../../../src/resources/types.js';
import { asLive, binding, clusterRole, OWNED } from './objects.js';

describe('pair: desired against live by ResourceKey', () => {
  it('gives create, update, unchanged and prune verdicts in kind, namespace, name order', () => {
    const desired = [
      binding('new', 'a', ['x']),
      binding('same', 'a', ['x']),
      binding('edited', 'a', ['x']),
      clusterRole('r', ['get']),
    ];
    const live = [
      asLive(binding('same', 'a', ['x'])),
      asLive(binding('edited', 'a', ['y'])),
      asLive(binding('gone', 'a', ['x'])),
      asLive(clusterRole('r', ['get'])),
    ];
    const pairs = pairObjects(desired, live);
    assert.deepEqual(
      pairs.map((p) => `${formatKey(p.key)} ${p.verdict}`),
      [
        'ClusterRole/r unchanged',
        'RoleBinding/a/edited update',
        'RoleBinding/a/gone prune',
        'RoleBinding/a/new create',
        'RoleBinding/a/same unchanged',
      ],
    );
  });

  it('asks for a replacement when only the immutable roleRef differs', () => {
    const [pair] = pairObjects(
      [binding('b', 'a', ['x'], 'roster:editor')],
      [asLive(binding('b', 'a', ['x'], 'roster:viewer'))],
    );
    assert.equal(pair!.verdict, Verdict.replace);
  });

  it('keeps objects of the same name in different namespaces apart', () => {
    const pairs = pairObjects([binding('b', 'one', ['x'])], [asLive(binding('b', 'two', ['x']))]);
    assert.deepEqual(
      pairs.map((p) => p.verdict),
      [Verdict.create, Verdict.prune],
    );
  });

  it('leaves an existing unmanaged namespace alone instead of creating it', () => {
    const ns: ManagedObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'roster-tokens', labels: { ...OWNED } },
    };
    assert.equal(pairObjects([ns], [], { namespaces: new Set(['roster-tokens']) })[0]!.verdict, Verdict.foreign);
    assert.equal(pairObjects([ns], [], { namespaces: new Set(['default']) })[0]!.verdict, Verdict.create);
  });

  it('is deterministic whatever the input order', () => {
    const desired = [binding('b', 'z', ['x']), binding('a', 'z', ['x']), clusterRole('c', ['get'])];
    const one = pairObjects(desired, []).map((p) => formatKey(p.key));
    const two = pairObjects([...desired].reverse(), []).map((p) => formatKey(p.key));
    assert.deepEqual(one, two);
  });
});

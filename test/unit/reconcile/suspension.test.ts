import assert from 'node:assert/strict';
import type { LiveObject } from '../../../src/cluster/types.js';
import { pairObjects, Verdict } from '../../../src/reconcile/pair.js';
import { planChanges } from '../../../src/reconcile/preview.js';
import { SUSPENDED_ANNOTATION } from '../../../src/resources/labels.js';
import type { ManagedObject } from '../../../src/resources/types.js';

const labels = { 'app.kubernetes.io/managed-by': 'roster', 'roster.dev/instance': 'it', 'roster.dev/token': 'ci' };
function sa(annotations?: Record<string, string>): ManagedObject {
  const metadata = { name: 'ci', namespace: 'roster-tokens', labels, ...(annotations ? { annotations } : {}) };
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata };
}
function live(obj: ManagedObject): LiveObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '7' } };
}

describe("a token's ServiceAccount across a suspension", () => {
  const suspended = sa({ [SUSPENDED_ANNOTATION]: 'leak' });
  const plain = sa();

  it('is replaced when a suspension starts, when it is lifted, and when another one replaces it', () => {
    assert.equal(pairObjects([suspended], [live(plain)])[0]!.verdict, Verdict.replace);
    assert.equal(pairObjects([plain], [live(suspended)])[0]!.verdict, Verdict.replace);
    const other = sa({ [SUSPENDED_ANNOTATION]: 'audit' });
    assert.equal(pairObjects([other], [live(suspended)])[0]!.verdict, Verdict.replace);
  });

  it('is left alone while nothing about its suspension changes', () => {
    assert.equal(pairObjects([suspended], [live(suspended)])[0]!.verdict, Verdict.unchanged);
    assert.equal(pairObjects([plain], [live(plain)])[0]!.verdict, Verdict.unchanged);
  });

  it('plans the replacement with its reason and shows the marker going away on lift', () => {
    const pairs = pairObjects([plain], [live(suspended)]);
    const [change] = planChanges(pairs, { allowed: true });
    assert.equal(change!.action, 'updated');
    assert.match(change!.reason!, /ServiceAccount is replaced, so every token minted for it stops working/);
    assert.match(change!.diff!, /-\s+roster\.dev\/suspended: leak/);
  });
});

import assert from 'node:assert/strict';
import { ownedBy, pruneExemption, pruneGuard, type PruneGuardInput } from '../../../src/reconcile/prune-guard.js';
import { PRUNE_ANNOTATION } from '../../../src/resources/labels.js';
import { asLive, binding, INSTANCE } from './objects.js';

const base: PruneGuardInput = {
  candidates: 1,
  managed: 10,
  desired: 9,
  settings: { enabled: true, maxPercent: 30 },
  force: false,
  applyFailed: false,
};

describe('prune guards', () => {
  it('allows pruning within prune.maxPercent', () => {
    assert.deepEqual(pruneGuard({ ...base, candidates: 3 }), { allowed: true });
  });

  it('refuses to prune more than prune.maxPercent of the managed objects', () => {
    const verdict = pruneGuard({ ...base, candidates: 4 });
    assert.equal(verdict.allowed, false);
    assert.ok(!verdict.allowed && verdict.refused);
    assert.match(
      !verdict.allowed ? verdict.reason : '',
      /refusing to prune 4 of 10 managed objects \(40% > prune.maxPercent 30%\)/,
    );
  });

  it('lets --force lift the maxPercent guard', () => {
    assert.deepEqual(pruneGuard({ ...base, candidates: 10, force: true }), { allowed: true });
  });

  it('does not count removals an expiry scheduled against prune.maxPercent', () => {
    assert.deepEqual(pruneGuard({ ...base, candidates: 6, scheduled: 4 }), { allowed: true });
    const verdict = pruneGuard({ ...base, candidates: 6, scheduled: 2 });
    assert.match(!verdict.allowed ? verdict.reason : '', /refusing to prune 4 of 10 managed objects/);
  });

  it('lets expiries empty a cluster, but still refuses an empty desired state nobody scheduled', () => {
    assert.deepEqual(pruneGuard({ ...base, candidates: 10, desired: 0, scheduled: 10 }), { allowed: true });
    const verdict = pruneGuard({ ...base, candidates: 10, desired: 0, scheduled: 9 });
    assert.ok(!verdict.allowed && verdict.refused && /desired state is empty/.test(verdict.reason));
  });

  it('never lets an expiry lift the failed-apply or prune.enabled rules', () => {
    assert.ok(!pruneGuard({ ...base, applyFailed: true, scheduled: 1 }).allowed);
    assert.ok(!pruneGuard({ ...base, settings: { enabled: false, maxPercent: 30 }, scheduled: 1 }).allowed);
  });

  it('refuses an empty desired state for a cluster that has managed objects', () => {
    const verdict = pruneGuard({ ...base, candidates: 10, desired: 0 });
    assert.ok(!verdict.allowed && verdict.refused && /desired state is empty/.test(verdict.reason));
  });

  it('never prunes after a failed apply, even with --force, and says so without failing the cluster again', () => {
    const verdict = pruneGuard({ ...base, applyFailed: true, force: true });
    assert.ok(!verdict.allowed && !verdict.refused && /apply failed/.test(verdict.reason));
  });

  it('only reports prune candidates when prune.enabled is false', () => {
    const verdict = pruneGuard({ ...base, settings: { enabled: false, maxPercent: 100 } });
    assert.ok(!verdict.allowed && !verdict.refused && /prune.enabled is false/.test(verdict.reason));
  });

  it('has nothing to guard when nothing is to be pruned', () => {
    assert.deepEqual(pruneGuard({ ...base, candidates: 0, desired: 0, applyFailed: true }), { allowed: true });
  });

  it('exempts namespaces and objects annotated roster.dev/prune: disabled', () => {
    const kept = asLive(binding('b', 'ns', ['x']));
    kept.metadata.annotations![PRUNE_ANNOTATION] = 'disabled';
    assert.match(pruneExemption(kept) ?? '', /opted out/);
    assert.match(pruneExemption({ kind: 'Namespace', metadata: { name: 'x' } } as never) ?? '', /never pruned/);
    assert.equal(pruneExemption(asLive(binding('b', 'ns', ['x']))), undefined);
  });

  it('recognises ownership only with both labels of this instance', () => {
    const live = asLive(binding('b', 'ns', ['x']));
    assert.ok(ownedBy(live, INSTANCE));
    assert.ok(!ownedBy(live, 'other-instance'));
    delete live.metadata.labels!['app.kubernetes.io/managed-by'];
    assert.ok(!ownedBy(live, INSTANCE));
  });
});

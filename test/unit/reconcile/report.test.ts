import assert from 'node:assert/strict';
import type { RunResult } from '../../../src/reconcile/changes.js';
import { pairObjects } from '../../../src/reconcile/pair.js';
import { planChanges } from '../../../src/reconcile/preview.js';
import { clusterStatus, exitCodeOf } from '../../../src/reconcile/status.js';
import { renderRunJson } from '../../../src/report/changes-json.js';
import { renderMarkdown } from '../../../src/report/changes-markdown.js';
import { renderText } from '../../../src/report/changes-text.js';
import { assertGolden } from '../../support/golden.js';
import { asLive, binding, clusterRole } from './objects.js';
import type { RunJson } from '../../../src/report/changes-json.js';

function sample(): RunResult {
  const pairs = pairObjects(
    [
      clusterRole('roster:deployer', ['get', 'update']),
      binding('roster:team:payments:editor', 'payments', ['alice@example.com']),
    ],
    [
      asLive(clusterRole('roster:deployer', ['get'])),
      asLive(binding('roster:team:old:viewer', 'payments', ['bob@example.com'])),
    ],
  );
  const changes = planChanges(pairs, { allowed: true });
  return {
    mode: 'plan',
    dryRun: false,
    commit: '0123456789abcdef0123456789abcdef01234567',
    clusters: [
      { name: 'east', status: 'ok', changes, requests: { list: 7 }, durationMs: 42 },
      {
        name: 'west',
        status: 'failed',
        error: 'Namespace: list failed: ECONNREFUSED: cannot reach 127.0.0.1:6443',
        changes: [],
        requests: { list: 3 },
        durationMs: 900,
      },
    ],
  };
}

describe('run reports', () => {
  it('renders text: one line per object, then diffs, then a summary', () => {
    assertGolden('reconcile/plan.txt', renderText(sample(), { color: false }));
  });

  it('renders the documented JSON shape', () => {
    const json = JSON.parse(renderRunJson(sample())) as RunJson;
    assert.equal(json.version, 1);
    assert.deepEqual(Object.keys(json.clusters[0] ?? {}), ['name', 'status', 'changes', 'requests', 'durationMs']);
    assert.deepEqual(Object.keys(json.clusters[0]?.changes[0] ?? {}).slice(0, 3), ['key', 'ref', 'action']);
    assert.equal(json.summary.exitCode, 3);
    assertGolden('reconcile/plan.json', renderRunJson(sample()));
  });

  it('renders Markdown for a pull-request comment, diffs folded', () => {
    const md = renderMarkdown(sample());
    assert.match(md, /<details><summary>diffs \(3\)<\/summary>/);
    assertGolden('reconcile/plan.md', md);
  });

  it('leaves diffs out of Markdown beyond the budget and says so', () => {
    assert.match(renderMarkdown(sample(), { diffBudget: 10 }), /3 diff\(s\) left out/);
  });

  it('colours only when asked', () => {
    assert.ok(!renderText(sample(), { color: false }).includes('\u001b['), 'no ANSI escape without color');
  });
});

describe('exit codes from results', () => {
  const ok = (mode: RunResult['mode'], actions: string[]): RunResult => ({
    mode,
    dryRun: false,
    clusters: [
      {
        name: 'a',
        status: 'ok',
        changes: actions.map((action) => ({
          key: { group: '', kind: 'Namespace', name: action },
          action: action as never,
        })),
        requests: {},
        durationMs: 0,
      },
    ],
  });

  it('plan and drift: 0 nothing to do, 1 changes', () => {
    assert.equal(exitCodeOf(ok('plan', ['unchanged', 'skipped'])), 0);
    assert.equal(exitCodeOf(ok('plan', ['created'])), 1);
    assert.equal(exitCodeOf(ok('drift', ['drifted'])), 1);
  });

  it('apply: 0 when every cluster converged, 3 when one failed', () => {
    assert.equal(exitCodeOf(ok('apply', ['created', 'pruned'])), 0);
    const failed = ok('apply', []);
    failed.clusters.push({ name: 'b', status: 'failed', error: 'x', changes: [], requests: {}, durationMs: 0 });
    assert.equal(exitCodeOf(failed), 3);
  });

  it('fails a cluster with a failed object or a conflict, naming both', () => {
    const status = clusterStatus([
      { key: { group: '', kind: 'Namespace', name: 'a' }, action: 'failed' },
      { key: { group: '', kind: 'Namespace', name: 'b' }, action: 'conflict' },
    ]);
    assert.deepEqual(status, {
      status: 'failed',
      error: '1 object failed; 1 conflict with objects Roster does not own',
    });
  });
});

/**
 * plan and apply share one prune-guard computation (engine.ts): for the same repository and the same live objects,
 * `plan` reports exactly the refusal and the held-back candidates that `apply` then meets, and `--force` lifts it in
 * both. Driven through the engine with an in-memory cluster; the real-cluster side is reconcile-safety.test.ts.
 */
import assert from 'node:assert/strict';
import { loadFiles } from '../../../src/load/parse.js';
import { reconcile, type ReconcileOptions } from '../../../src/reconcile/engine.js';
import { formatKey } from '../../../src/resources/key.js';
import { validate } from '../../../src/validate/index.js';
import { MemoryClient } from './memory-client.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const NAMESPACES = ['a', 'b', 'c', 'd', 'e'];

class Cluster extends MemoryClient {
  override async listNamespaces(): Promise<string[]> {
    return [...NAMESPACES];
  }
}

/** A repository granting one team per namespace listed; maxPercent 30. */
function model(namespaces: string[]) {
  const text = [
    'apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec:\n  instance: guard\n' +
      '  prune: {enabled: true, maxPercent: 30}\n',
    'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: east}\nspec: {context: east}\n',
    ...namespaces.map(
      (ns) =>
        `apiVersion: roster/v1\nkind: Team\nmetadata: {name: team-${ns}}\nspec:\n` +
        `  members: {users: [${ns}@example.com]}\n  grants: [{role: viewer, namespaces: [${ns}]}]\n`,
    ),
  ].join('---\n');
  const loaded = loadFiles([{ path: 'roster.yaml', text }]);
  const result = validate(loaded.documents, { now: NOW });
  assert.ok(result.model, JSON.stringify(result.diagnostics));
  return result.model;
}

async function run(client: Cluster, mode: ReconcileOptions['mode'], namespaces: string[], force = false) {
  const m = model(namespaces);
  const result = await reconcile({
    mode,
    model: m,
    clusters: m.clusters,
    now: NOW,
    force,
    connect: () => Promise.resolve(client),
  });
  const cluster = result.clusters[0]!;
  const held = cluster.changes.filter((c) => c.action === 'skipped').map((c) => `${formatKey(c.key)} ${c.reason}`);
  return { status: cluster.status, error: cluster.error, held, changes: cluster.changes };
}

describe('plan and apply: one prune guard', () => {
  it('plan reports the refusal apply meets, with the same candidates held back; --force lifts both', async () => {
    const client = new Cluster();
    assert.equal((await run(client, 'apply', NAMESPACES)).status, 'ok');
    const before = client.objects.size;

    // Dropping two of five teams would prune 2 of 6 managed objects (5 bindings and the viewer ClusterRole): 33% > 30%.
    const plan = await run(client, 'plan', ['a', 'b', 'c']);
    const apply = await run(client, 'apply', ['a', 'b', 'c']);
    assert.equal(plan.status, 'failed');
    assert.match(plan.error ?? '', /refusing to prune 2 of 6 managed objects/);
    assert.equal(apply.error, plan.error);
    assert.equal(apply.status, plan.status);
    assert.deepEqual(apply.held, plan.held);
    assert.equal(plan.held.length, 2);
    assert.equal(client.objects.size, before, 'apply deleted nothing');

    const forcedPlan = await run(client, 'plan', ['a', 'b', 'c'], true);
    assert.equal(forcedPlan.status, 'ok', forcedPlan.error);
    const planned = forcedPlan.changes.filter((c) => c.action === 'pruned').map((c) => formatKey(c.key));
    const forced = await run(client, 'apply', ['a', 'b', 'c'], true);
    assert.equal(forced.status, 'ok', forced.error);
    assert.deepEqual(
      forced.changes.filter((c) => c.action === 'pruned').map((c) => formatKey(c.key)),
      planned,
    );
    assert.equal(client.objects.size, before - 2);
  });

  it('plan and apply both refuse an empty desired state for a cluster with managed objects', async () => {
    const client = new Cluster();
    assert.equal((await run(client, 'apply', NAMESPACES)).status, 'ok');
    const before = client.objects.size;
    const plan = await run(client, 'plan', []);
    const apply = await run(client, 'apply', []);
    assert.equal(plan.status, 'failed');
    assert.equal(apply.error, plan.error);
    assert.deepEqual(apply.held, plan.held);
    assert.match(plan.error ?? '', /refusing to prune: the desired state is empty but \d+ managed object\(s\) exist/);
    assert.equal(client.objects.size, before, 'apply deleted nothing');
  });
});

import assert from 'node:assert/strict';
import type { LiveObject } from '../../../src/cluster/types.js';
import { applyPairs } from '../../../src/reconcile/apply.js';
import { pairObjects } from '../../../src/reconcile/pair.js';
import { pruneStage } from '../../../src/reconcile/prune.js';
import { formatKey } from '../../../src/resources/key.js';
import { PRUNE_ANNOTATION } from '../../../src/resources/labels.js';
import type { ManagedObject } from '../../../src/resources/types.js';
import { MemoryClient } from './memory-client.js';
import { asLive, binding, clusterRole, INSTANCE } from './objects.js';

/** apply then prune, the way the engine runs them. */
async function run(
  client: MemoryClient,
  desired: ManagedObject[],
  opts: { dryRun?: boolean; adopt?: boolean; force?: boolean } = {},
) {
  const live = (await Promise.all((['ClusterRole', 'RoleBinding'] as const).map((k) => client.list(k))))
    .flat()
    .filter(owned);
  const pairs = pairObjects(desired, live);
  const write = { client, dryRun: opts.dryRun === true, concurrency: 4 };
  const applied = await applyPairs(pairs, { ...write, adopt: opts.adopt === true, live });
  const guard = {
    managed: live.length,
    desired: desired.length,
    settings: { enabled: true, maxPercent: 100 },
    force: opts.force === true,
    applyFailed: applied.failed,
  };
  const pruned = await pruneStage({
    ...write,
    instance: INSTANCE,
    pairs,
    removed: applied.removed,
    guard,
    scheduled: () => false,
  });
  const changes = [...applied.changes, ...pruned.changes];
  return { changes, byRef: Object.fromEntries(changes.map((c) => [formatKey(c.key), c])), refusal: pruned.refusal };
}

function owned(o: LiveObject): boolean {
  return o.metadata.labels?.['roster.dev/instance'] === INSTANCE;
}

function unmanaged(obj: ManagedObject): LiveObject {
  const live = asLive(obj);
  delete live.metadata.labels;
  return live;
}

describe('apply and prune stages', () => {
  it('writes nothing for objects that have not drifted', async () => {
    const desired = [clusterRole('roster:r', ['get']), binding('b', 'ns', ['alice'], 'roster:r')];
    const client = new MemoryClient(desired.map((d) => asLive(d)));
    const { changes } = await run(client, desired);
    assert.deepEqual(
      changes.map((c) => c.action),
      ['unchanged', 'unchanged'],
    );
    assert.deepEqual(client.log, []);
  });

  it('applies roles before the bindings that reference them, and prunes bindings before roles', async () => {
    const client = new MemoryClient([
      asLive(clusterRole('roster:old', ['get'])),
      asLive(binding('old', 'ns', ['x'], 'roster:old')),
    ]);
    await run(client, [binding('new', 'ns', ['x'], 'roster:new'), clusterRole('roster:new', ['get'])]);
    const writes = client.log.filter((l) => !l.startsWith('get'));
    assert.deepEqual(writes, [
      'create ClusterRole/roster:new',
      'create RoleBinding/ns/new',
      'delete RoleBinding/ns/old',
      'delete ClusterRole/roster:old',
    ]);
  });

  it('reports a conflict for an unmanaged object of the same name and leaves it untouched', async () => {
    const theirs = unmanaged(binding('b', 'ns', ['someone']));
    const client = new MemoryClient([theirs]);
    const { byRef } = await run(client, [binding('b', 'ns', ['alice'])]);
    assert.equal(byRef['RoleBinding/ns/b']!.action, 'conflict');
    assert.deepEqual(client.objects.get('RoleBinding/ns/b'), theirs);
  });

  it('takes the object over with adopt', async () => {
    const client = new MemoryClient([unmanaged(binding('b', 'ns', ['someone']))]);
    const { byRef } = await run(client, [binding('b', 'ns', ['alice'])], { adopt: true });
    assert.equal(byRef['RoleBinding/ns/b']!.action, 'updated');
    assert.equal(client.objects.get('RoleBinding/ns/b')!.metadata.labels!['roster.dev/instance'], INSTANCE);
  });

  it('never prunes in a cluster where a write failed, and reports why', async () => {
    const client = new MemoryClient([asLive(binding('stale', 'ns', ['x']))]);
    client.forbidden.add('RoleBinding/ns/new');
    const { byRef } = await run(client, [binding('new', 'ns', ['x'])]);
    assert.equal(byRef['RoleBinding/ns/new']!.action, 'failed');
    assert.equal(byRef['RoleBinding/ns/stale']!.action, 'skipped');
    assert.match(byRef['RoleBinding/ns/stale']!.reason!, /apply failed/);
    assert.ok(client.objects.has('RoleBinding/ns/stale'));
  });

  it('reports a failed delete and keeps the object labelled for the next run', async () => {
    const client = new MemoryClient([asLive(binding('stale', 'ns', ['x'])), asLive(binding('keep', 'ns', ['x']))]);
    client.forbidden.add('RoleBinding/ns/stale');
    const { byRef } = await run(client, [binding('keep', 'ns', ['x'])]);
    assert.equal(byRef['RoleBinding/ns/stale']!.action, 'failed');
    assert.match(byRef['RoleBinding/ns/stale']!.reason!, /next run retries/);
    assert.ok(client.objects.has('RoleBinding/ns/stale'));
  });

  it('re-checks labels just before deleting: an object relabelled since the LIST survives', async () => {
    const stale = asLive(binding('stale', 'ns', ['x']));
    const client = new MemoryClient([stale, asLive(binding('keep', 'ns', ['x']))]);
    const originalList = client.list.bind(client);
    client.list = async (kind) => {
      const listed = await originalList(kind);
      // Someone takes the object out of Roster's hands right after Roster read it.
      delete client.objects.get('RoleBinding/ns/stale')!.metadata.labels!['app.kubernetes.io/managed-by'];
      return listed;
    };
    const { byRef } = await run(client, [binding('keep', 'ns', ['x'])]);
    assert.equal(byRef['RoleBinding/ns/stale']!.action, 'skipped');
    assert.match(byRef['RoleBinding/ns/stale']!.reason!, /labels removed/);
    assert.ok(client.objects.has('RoleBinding/ns/stale'));
  });

  it('keeps an object annotated roster.dev/prune: disabled', async () => {
    const kept = asLive(binding('kept', 'ns', ['x']));
    kept.metadata.annotations![PRUNE_ANNOTATION] = 'disabled';
    const client = new MemoryClient([kept, asLive(binding('keep', 'ns', ['x']))]);
    const { byRef } = await run(client, [binding('keep', 'ns', ['x'])]);
    assert.equal(byRef['RoleBinding/ns/kept']!.action, 'skipped');
    assert.ok(client.objects.has('RoleBinding/ns/kept'));
  });

  it('a changed roleRef is replaced with no gap in access: bridge, delete, create, delete bridge', async () => {
    const client = new MemoryClient([asLive(binding('b', 'ns', ['alice'], 'roster:viewer'))]);
    const { byRef } = await run(client, [binding('b', 'ns', ['alice'], 'roster:editor')]);
    assert.equal(byRef['RoleBinding/ns/b']!.action, 'updated');
    assert.deepEqual(client.log, [
      'create RoleBinding/ns/b:replacing',
      'delete RoleBinding/ns/b',
      'create RoleBinding/ns/b',
      'delete RoleBinding/ns/b:replacing',
    ]);
    assert.equal(client.objects.get('RoleBinding/ns/b')!.roleRef!.name, 'roster:editor');
    assert.equal(client.objects.size, 1);
  });

  it('sends every write through the dry run and stores nothing with dryRun', async () => {
    const before = [asLive(binding('stale', 'ns', ['x'])), asLive(binding('edit', 'ns', ['x']))];
    const client = new MemoryClient(before);
    const { changes } = await run(client, [binding('edit', 'ns', ['y']), binding('new', 'ns', ['x'])], {
      dryRun: true,
    });
    assert.deepEqual(changes.map((c) => c.action).sort(), ['created', 'pruned', 'updated']);
    assert.ok(client.log.every((l) => l.startsWith('get') || l.includes('(dry)')));
    assert.deepEqual([...client.objects.values()], before);
  });
});

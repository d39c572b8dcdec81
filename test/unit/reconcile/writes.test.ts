import assert from 'node:assert/strict';
import { ApiError } from '../../../src/cluster/errors.js';
import type { ApplyOptions, CreateOptions, DeleteOptions, LiveObject } from '../../../src/cluster/types.js';
import { applyPairs } from '../../../src/reconcile/apply.js';
import { pairObjects } from '../../../src/reconcile/pair.js';
import { settlingWrites } from '../../../src/reconcile/writes.js';
import { formatKey, keyOf, type ResourceKey } from '../../../src/resources/key.js';
import type { ManagedObject } from '../../../src/resources/types.js';
import { MemoryClient } from './memory-client.js';
import { asLive, binding, INSTANCE } from './objects.js';

/**
 * A memory client whose "server" carries out the write and then loses the reply (`lost`), or loses the request
 * before doing anything (`dropped`), once per ref: the two cases a client cannot tell apart.
 */
class LossyClient extends MemoryClient {
  readonly lost = new Set<string>();
  readonly dropped = new Set<string>();

  override async create(obj: ManagedObject, opts: CreateOptions): Promise<LiveObject> {
    return this.lossy(formatKey(keyOf(obj)), () => super.create(obj, opts));
  }
  override async apply(obj: ManagedObject, opts: ApplyOptions): Promise<LiveObject> {
    return this.lossy(formatKey(keyOf(obj)), () => super.apply(obj, opts));
  }
  override async delete(key: ResourceKey, opts: DeleteOptions): Promise<boolean> {
    return this.lossy(formatKey(key), () => super.delete(key, opts));
  }

  private async lossy<T>(ref: string, write: () => Promise<T>): Promise<T> {
    const lose = this.lost.delete(ref);
    if (this.dropped.delete(ref)) throw timeout(ref);
    const result = await write();
    if (lose) throw timeout(ref);
    return result;
  }
}

function timeout(ref: string): ApiError {
  return new ApiError(
    { cluster: 'memory', status: 0, reason: 'TIMEOUT', verb: 'write', ref, ambiguous: true },
    'no answer within 3000 ms',
  );
}

const noWait = { sleep: () => Promise.resolve() };

function unavailable(ref: string): ApiError {
  return new ApiError(
    { cluster: 'memory', status: 503, reason: 'ServiceUnavailable', verb: 'create', ref, ambiguous: true },
    'injected',
  );
}

async function applyAll(client: LossyClient, desired: ManagedObject[]) {
  const live = (await client.list('RoleBinding')).filter(
    (o) => o.metadata.labels?.['roster.dev/instance'] === INSTANCE,
  );
  const pairs = pairObjects(desired, live);
  const ctx = { client: settlingWrites(client, INSTANCE, noWait), dryRun: false, adopt: false, concurrency: 4, live };
  return applyPairs(pairs, ctx);
}

describe('writes that may have happened: settled by reading back', () => {
  it('a create whose reply was lost is reported created, after one read and no second create', async () => {
    const b = binding('b', 'ns', ['alice']);
    const client = new LossyClient();
    client.lost.add(formatKey(keyOf(b)));
    const out = await applyAll(client, [b]);
    assert.deepEqual(
      out.changes.map((c) => c.action),
      ['created'],
    );
    assert.equal(out.failed, false);
    assert.deepEqual(client.log, ['create RoleBinding/ns/b', 'get RoleBinding/ns/b']);
  });

  it('a create lost before it reached the server is read back as absent and sent again', async () => {
    const b = binding('b', 'ns', ['alice']);
    const client = new LossyClient();
    client.dropped.add(formatKey(keyOf(b)));
    const out = await applyAll(client, [b]);
    assert.equal(out.changes[0]!.action, 'created');
    // The first create never reached the memory server, so its log starts at the read back.
    assert.deepEqual(client.log, ['get RoleBinding/ns/b', 'create RoleBinding/ns/b']);
    assert.ok(client.objects.has('RoleBinding/ns/b'));
  });

  it('a create refused ambiguously four times in a row (503s that did nothing) is still created', async () => {
    const b = binding('b', 'ns', ['alice']);
    const ref = formatKey(keyOf(b));
    class Unavailable extends LossyClient {
      refusals = 4;
      override async create(obj: ManagedObject, opts: CreateOptions): Promise<LiveObject> {
        if (this.refusals-- > 0) throw unavailable(ref);
        return super.create(obj, opts);
      }
    }
    const client = new Unavailable();
    const out = await applyAll(client, [b]);
    assert.equal(out.failed, false);
    assert.deepEqual(
      out.changes.map((c) => c.action),
      ['created'],
    );
    // Each refusal is read back (absent) before the next send.
    assert.deepEqual(client.log, [...Array<string>(4).fill(`get ${ref}`), `create ${ref}`]);
  });

  it('an update whose reply was lost is done when the live object already holds it', async () => {
    const old = asLive(binding('b', 'ns', ['alice']));
    const client = new LossyClient([old]);
    client.lost.add('RoleBinding/ns/b');
    const out = await applyAll(client, [binding('b', 'ns', ['alice', 'bob'])]);
    assert.equal(out.changes[0]!.action, 'updated');
    assert.deepEqual(client.log, ['patch RoleBinding/ns/b', 'get RoleBinding/ns/b']);
  });

  it("a 409 on creating Roster's own identical object is success; someone else's is still a conflict", async () => {
    const ours = binding('ours', 'ns', ['alice']);
    const theirs = binding('theirs', 'ns', ['alice']);
    const foreign = asLive(theirs);
    delete foreign.metadata.labels;
    const client = new LossyClient([foreign]);
    // `ours` exists live with Roster's labels but was not in the LIST (created by a racing retry).
    const settled = settlingWrites(client, INSTANCE);
    await client.create(ours, { dryRun: false });
    const stored = await settled.create(ours, { dryRun: false });
    assert.equal(stored.metadata.name, 'ours');
    const err = await settled.create(theirs, { dryRun: false }).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError && err.status === 409);
  });

  it('a delete whose reply was lost is done when the object is gone', async () => {
    const old = asLive(binding('b', 'ns', ['alice']));
    const client = new LossyClient([old]);
    client.lost.add('RoleBinding/ns/b');
    const settled = settlingWrites(client, INSTANCE);
    const preconditions = { uid: old.metadata.uid, resourceVersion: old.metadata.resourceVersion };
    assert.equal(await settled.delete(keyOf(old), { dryRun: false, preconditions }), true);
    assert.equal(client.objects.size, 0);
  });
  it('an update lost before it reached the server is sent again while the object is at the version read', async () => {
    const old = asLive(binding('b', 'ns', ['alice']));
    const client = new LossyClient([old]);
    client.dropped.add('RoleBinding/ns/b');
    const settled = settlingWrites(client, INSTANCE, noWait);
    const expect = { resourceVersion: old.metadata.resourceVersion };
    await settled.apply(binding('b', 'ns', ['alice', 'bob']), { dryRun: false, force: true, expect });
    assert.deepEqual(client.log, ['get RoleBinding/ns/b', 'patch RoleBinding/ns/b']);
    assert.deepEqual(
      client.objects.get('RoleBinding/ns/b')!.subjects?.map((s) => s.name),
      ['alice', 'bob'],
    );
  });

  it('an update lost while someone else changed the object is a conflict, and their change stays', async () => {
    const old = asLive(binding('b', 'ns', ['alice']));
    const client = new LossyClient([old]);
    client.dropped.add('RoleBinding/ns/b');
    // Someone else's edit lands between Roster's read and its write.
    client.objects.set('RoleBinding/ns/b', asLive(binding('b', 'ns', ['mallory'])));
    const settled = settlingWrites(client, INSTANCE, noWait);
    const expect = { resourceVersion: old.metadata.resourceVersion };
    const err = await settled
      .apply(binding('b', 'ns', ['alice', 'bob']), { dryRun: false, force: true, expect })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ApiError && err.status === 409, String(err));
    assert.match(err.message, /changed since it was read; the next run retries/);
    assert.deepEqual(client.log, ['get RoleBinding/ns/b'], 'not written again');
    assert.deepEqual(
      client.objects.get('RoleBinding/ns/b')!.subjects?.map((s) => s.name),
      ['mallory'],
    );
  });

  it('a delete lost before it reached the server is sent again; one whose object was replaced is not', async () => {
    const old = asLive(binding('b', 'ns', ['alice']));
    const preconditions = { uid: old.metadata.uid, resourceVersion: old.metadata.resourceVersion };
    const client = new LossyClient([old]);
    client.dropped.add('RoleBinding/ns/b');
    const settled = settlingWrites(client, INSTANCE, noWait);
    assert.equal(await settled.delete(keyOf(old), { dryRun: false, preconditions }), true);
    assert.deepEqual(client.log, ['get RoleBinding/ns/b', 'delete RoleBinding/ns/b']);
    assert.equal(client.objects.size, 0);

    // Replaced (a new uid) between the read and the delete: left alone, reported as a conflict.
    const replaced = new LossyClient([asLive(binding('b', 'ns', ['alice']))]);
    replaced.dropped.add('RoleBinding/ns/b');
    const err = await settlingWrites(replaced, INSTANCE, noWait)
      .delete(keyOf(old), { dryRun: false, preconditions })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ApiError && err.status === 409, String(err));
    assert.match(err.message, /replaced or changed since it was read; not deleted/);
    assert.equal(replaced.objects.size, 1);
  });

  it("a create meeting Roster's own object with other content (a racing run) brings it to this commit", async () => {
    const racing = asLive(binding('b', 'ns', ['alice']));
    const client = new LossyClient([racing]);
    const settled = settlingWrites(client, INSTANCE, noWait);
    const stored = await settled.create(binding('b', 'ns', ['alice', 'bob']), { dryRun: false });
    assert.deepEqual(
      stored.subjects?.map((s) => s.name),
      ['alice', 'bob'],
    );
    assert.deepEqual(client.log, ['create RoleBinding/ns/b', 'get RoleBinding/ns/b', 'patch RoleBinding/ns/b']);
  });
});

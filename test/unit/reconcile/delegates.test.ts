import assert from 'node:assert/strict';
import { ApiError } from '../../../src/cluster/errors.js';
import { applyPairs } from '../../../src/reconcile/apply.js';
import { delegationWriters } from '../../../src/reconcile/delegates.js';
import { pairObjects } from '../../../src/reconcile/pair.js';
import { pruneStage } from '../../../src/reconcile/prune.js';
import { DEFAULT_SETTINGS } from '../../../src/model/types.js';
import { DELEGATE_LABEL, DELEGATION_LABEL } from '../../../src/resources/labels.js';
import type { RoleBindingObject } from '../../../src/resources/types.js';
import { MemoryClient } from './memory-client.js';
import { asLive, binding, INSTANCE } from './objects.js';

const DELEGATE = 'system:serviceaccount:roster-delegations:payments';
const delegates = [{ delegation: 'payments', user: DELEGATE, namespaces: ['payments'] }];

function delegated(b: RoleBindingObject, delegation = 'payments'): RoleBindingObject {
  return { ...b, metadata: { ...b.metadata, labels: { ...b.metadata.labels, [DELEGATION_LABEL]: delegation } } };
}

function delegateBinding(): RoleBindingObject {
  const b = binding('roster:delegation:payments', 'payments', [], 'roster:delegation:payments');
  return { ...b, metadata: { ...b.metadata, labels: { ...b.metadata.labels, [DELEGATE_LABEL]: 'payments' } } };
}

async function run(client: MemoryClient, desired: RoleBindingObject[]) {
  const live = await client.list('RoleBinding');
  const pairs = pairObjects(desired, live);
  const write = {
    client,
    writers: delegationWriters(client, DEFAULT_SETTINGS, delegates),
    dryRun: false,
    concurrency: 4,
  };
  const applied = await applyPairs(pairs, { ...write, adopt: false, live });
  const guard = {
    managed: live.length,
    desired: desired.length,
    settings: { enabled: true, maxPercent: 100 },
    force: false,
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
  return [...applied.changes, ...pruned.changes];
}

describe('reconcile: delegated bindings are written as their delegation', () => {
  it("creates a delegated binding as the delegation's ServiceAccount, after the delegation's own binding", async () => {
    const client = new MemoryClient();
    const changes = await run(client, [
      delegated(binding('roster:team:payments:editor', 'payments', ['pat'])),
      delegateBinding(),
      binding('roster:team:platform:viewer', 'payments', ['ops']),
    ]);
    assert.deepEqual(client.log, [
      'create RoleBinding/payments/roster:delegation:payments',
      'create RoleBinding/payments/roster:team:platform:viewer',
      `create RoleBinding/payments/roster:team:payments:editor as ${DELEGATE}`,
    ]);
    const editor = changes.find((c) => c.key.name === 'roster:team:payments:editor')!;
    assert.equal(editor.as, DELEGATE);
    assert.equal(changes.find((c) => c.key.name === 'roster:team:platform:viewer')!.as, undefined);
  });

  it("reports the API server's refusal as that object's failure, as the delegation, and writes the rest", async () => {
    const client = new MemoryClient([asLive(delegateBinding())]);
    client.forbidden.add(`RoleBinding/payments/roster:team:payments:owner as ${DELEGATE}`);
    const changes = await run(client, [
      delegated(binding('roster:team:payments:owner', 'payments', ['pat'], 'roster:owner')),
      delegateBinding(),
      binding('roster:team:platform:viewer', 'payments', ['ops']),
    ]);
    const byName = Object.fromEntries(changes.map((c) => [c.key.name, c]));
    assert.equal(byName['roster:team:payments:owner']!.action, 'failed');
    assert.match(byName['roster:team:payments:owner']!.reason!, new RegExp(`^as ${DELEGATE}: .*Forbidden`));
    assert.equal(byName['roster:team:platform:viewer']!.action, 'created');
    // The delegation's identity existed before this run: a refusal is not the authorizer's lag, so no retry.
    assert.equal(client.log.filter((l) => l.includes('roster:team:payments:owner')).length, 1);
  });

  it("retries a 403 only while the delegation's identity is fresh from this run (the authorizer's lag)", async () => {
    /** Refuses the first two creates made as the delegation, like an authorizer that has not seen its binding yet. */
    class Lagging extends MemoryClient {
      refusals = 2;
      override async create(obj: Parameters<MemoryClient['create']>[0], opts: { dryRun: boolean }) {
        if ((this as unknown as { user?: string }).user && this.refusals-- > 0) {
          this.log.push(`refused ${obj.metadata.name}`);
          throw new ApiError({ cluster: 'memory', status: 403, reason: 'Forbidden', verb: 'create', ref: 'x' }, 'lag');
        }
        return super.create(obj, opts);
      }
    }
    const fresh = new Lagging();
    const changes = await run(fresh, [
      delegated(binding('roster:team:payments:editor', 'payments', ['pat'])),
      delegateBinding(),
    ]);
    assert.equal(changes.find((c) => c.key.name === 'roster:team:payments:editor')!.action, 'created');
    assert.equal(fresh.log.filter((l) => l.startsWith('refused')).length, 2);

    const settled = new Lagging([asLive(delegateBinding())]);
    const refused = await run(settled, [
      delegated(binding('roster:team:payments:editor', 'payments', ['pat'])),
      delegateBinding(),
    ]);
    assert.equal(refused.find((c) => c.key.name === 'roster:team:payments:editor')!.action, 'failed');
    assert.equal(
      settled.log.filter((l) => l.startsWith('refused')).length,
      1,
      'an identity from an earlier run: no retry',
    );
  });

  it('prunes a delegated binding as the delegation, and one outside its namespaces as Roster', async () => {
    const client = new MemoryClient([
      asLive(delegateBinding()),
      asLive(delegated(binding('roster:team:payments:editor', 'payments', ['pat']))),
      asLive(delegated(binding('roster:team:payments:editor', 'payments-old', ['pat']))),
      asLive(delegated(binding('roster:team:gone:editor', 'payments', ['pat']), 'removed-delegation')),
    ]);
    await run(client, [delegateBinding()]);
    assert.deepEqual(
      client.log.filter((l) => l.startsWith('delete')),
      [
        `delete RoleBinding/payments/roster:team:gone:editor`,
        `delete RoleBinding/payments/roster:team:payments:editor as ${DELEGATE}`,
        `delete RoleBinding/payments-old/roster:team:payments:editor`,
      ],
    );
  });
});

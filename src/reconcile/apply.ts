/**
 * The apply stage: server-side apply of what differs, kind by kind in KIND_ORDER (roles before the bindings that
 * reference them), with a bound on writes in flight. Unchanged objects are never written: a write would only bump
 * their resourceVersion (fluxcd/pkg ssa/manager_apply.go). Every write is conditional:
 * - create: a plain create, which fails if any object of that name exists; one that does, without Roster's
 *   labels, is a conflict (taken over only with `adopt`);
 * - update: only if the object is still the one Roster read and compared;
 * - replace (roleRef changed): make before break, see replaceBinding;
 * - replace (a token's suspension changed): break, then make, see replaceServiceAccount.
 */

import { setTimeout } from 'node:timers/promises';
import pLimit from 'p-limit';
import { isApiError, type ApiError } from '../cluster/errors.js';
import type { ClusterClient, LiveObject } from '../cluster/types.js';
import { formatKey, KIND_ORDER, keyOf } from '../resources/key.js';
import { boundedName } from '../resources/names.js';
import type { ManagedObject } from '../resources/types.js';
import { Action, type Change } from './changes.js';
import { pairObjects, Verdict, type Pair } from './pair.js';
import { changeOf, FOREIGN_NAMESPACE_REASON, replaceReason } from './preview.js';
import { delegationOf, isDelegateObject, ownWriters, type Writers } from './delegates.js';

export interface ApplyContext {
  client: ClusterClient;
  dryRun: boolean;
  /** Take over existing objects of the same name that lack Roster's labels. */
  adopt: boolean;
  /** Writes in flight at once in this cluster. */
  concurrency: number;
  /** Roster's live objects: a replacement bridge left by an interrupted run is reused. */
  live: readonly LiveObject[];
  /** Which identity writes each object (delegated bindings: the delegation's). Default: `client` for all. */
  writers?: Writers;
}

export interface ApplyOutcome {
  /** One change per desired object, sorted like the pairs. */
  changes: Change[];
  /** Some object failed or met a conflict: nothing may be pruned in this cluster. */
  failed: boolean;
  /** Live objects this stage removed itself (replacement bridges), so prune leaves them out. */
  removed: Set<string>;
}

/** Verdicts that need a write; the others are reported without a request. */
const WRITES: ReadonlySet<string> = new Set([Verdict.create, Verdict.update, Verdict.replace]);

export async function applyPairs(pairs: readonly Pair[], ctx: ApplyContext): Promise<ApplyOutcome> {
  const limit = pLimit(ctx.concurrency);
  const removed = new Set<string>();
  const written = new Map<Pair, Change>();
  const writes = pairs.filter((p) => WRITES.has(p.verdict));
  // Delegated bindings go last, once the identities they are written as hold their rights.
  const delegated = writes.filter((p) => delegationOf(p.desired!) !== undefined);
  const groups = [...KIND_ORDER.map((kind) => writes.filter((p) => p.key.kind === kind && !delegated.includes(p)))];
  for (const group of [...groups, delegated]) {
    const fresh = group === delegated && freshDelegates(written);
    const changes = await Promise.all(group.map((pair) => limit(() => applyOne(pair, ctx, removed, fresh))));
    group.forEach((pair, i) => written.set(pair, changes[i]!));
  }
  const changes = pairs.filter((p) => p.verdict !== Verdict.prune).map((p) => written.get(p) ?? unwritten(p));
  const failed = changes.some((c) => c.action === Action.failed || c.action === Action.conflict);
  return { changes, failed, removed };
}

/** Whether this run wrote part of a delegation's identity: the API server's authorizer may not know it yet. */
function freshDelegates(written: ReadonlyMap<Pair, Change>): boolean {
  for (const [pair, change] of written) {
    const writtenNow = change.action === Action.created || change.action === Action.updated;
    if (writtenNow && isDelegateObject(pair.desired!)) return true;
  }
  return false;
}

function unwritten(pair: Pair): Change {
  if (pair.verdict === Verdict.foreign) return changeOf(pair, Action.skipped, { reason: FOREIGN_NAMESPACE_REASON });
  return changeOf(pair, Action.unchanged);
}

async function applyOne(pair: Pair, ctx: ApplyContext, removed: Set<string>, fresh: boolean): Promise<Change> {
  const writer = (ctx.writers ?? ownWriters(ctx.client)).forDesired(pair.desired!);
  const change = await authorizerLag(fresh, () => writeOne(pair, { ...ctx, client: writer.client }, removed)).catch(
    (err: unknown) => writeFailure(pair, err),
  );
  if (writer.user === undefined) return change;
  return { ...change, as: writer.user, ...(change.reason ? { reason: `as ${writer.user}: ${change.reason}` } : {}) };
}

/**
 * The API server's RBAC authorizer reads bindings from a cache that trails writes by a few milliseconds: a
 * delegation's first write right after its RoleBinding was created may be refused. Only then is a 403 retried,
 * briefly (100 ms doubling, 3.1 s in all); a refusal that persists is the answer.
 */
async function authorizerLag(fresh: boolean, write: () => Promise<Change>): Promise<Change> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!fresh || attempt > LAG_RETRIES || !isApiError(err, 403)) throw err;
      await setTimeout(LAG_DELAY_MS * 2 ** (attempt - 1));
    }
  }
}
const LAG_RETRIES = 5;
const LAG_DELAY_MS = 100;

async function writeOne(pair: Pair, ctx: ApplyContext, removed: Set<string>): Promise<Change> {
  switch (pair.verdict) {
    case Verdict.create:
      return await create(pair, ctx, removed);
    case Verdict.update:
      await ctx.client.apply(pair.desired!, {
        dryRun: ctx.dryRun,
        force: true,
        expect: { resourceVersion: pair.live!.metadata.resourceVersion },
      });
      return changeOf(pair, Action.updated, { diff: true });
    default:
      if (pair.key.kind === 'ServiceAccount') await replaceServiceAccount(pair, ctx);
      else await replaceBinding(pair, ctx, removed);
      return changeOf(pair, Action.updated, { diff: true, reason: replaceReason(pair) });
  }
}

async function create(pair: Pair, ctx: ApplyContext, removed: Set<string>): Promise<Change> {
  try {
    await ctx.client.create(pair.desired!, { dryRun: ctx.dryRun });
    return changeOf(pair, Action.created, { diff: true });
  } catch (err) {
    if (!isApiError(err, 409)) throw err;
    if (!ctx.adopt) {
      const reason = 'an object of this name exists without Roster labels; left untouched (--adopt takes it over)';
      return changeOf(pair, Action.conflict, { reason });
    }
    return adopt(pair, ctx, removed);
  }
}

/** `--adopt`: read the object Roster does not own (the one GET adoption costs), then update or replace it. */
async function adopt(pair: Pair, ctx: ApplyContext, removed: Set<string>): Promise<Change> {
  const existing = await ctx.client.get(pair.key);
  if (!existing)
    return changeOf(pair, Action.failed, { reason: 'conflict on create, then gone when read; the next run retries' });
  const adopted = { ...pair, ...pairObjects([pair.desired!], [existing])[0]! };
  if (adopted.verdict === Verdict.replace && adopted.key.kind === 'ServiceAccount') {
    await replaceServiceAccount(adopted, ctx);
  } else if (adopted.verdict === Verdict.replace) {
    await replaceBinding(adopted, ctx, removed);
  } else {
    await ctx.client.apply(pair.desired!, {
      dryRun: ctx.dryRun,
      force: true,
      expect: { resourceVersion: existing.metadata.resourceVersion },
    });
  }
  return changeOf(adopted, Action.updated, { diff: true, reason: 'adopted: Roster labels added, fields taken over' });
}

/**
 * roleRef is immutable, so a binding whose role changed must be deleted and created again. To leave no moment
 * without access, a bridge binding (same subjects, new roleRef, a derived name, Roster's labels) is created first,
 * then the old binding is deleted (preconditions: the object Roster read), the new one created under the real name,
 * and the bridge deleted. If a step fails, the bridge stays: subjects keep the new access, and the next run
 * finishes the job (a leftover bridge is Roster-labelled, so it is reused or pruned).
 * In a dry run the old binding still exists afterwards, so only the bridge create and the delete are checked.
 */
async function replaceBinding(pair: Pair, ctx: ApplyContext, removed: Set<string>): Promise<void> {
  const { client, dryRun } = ctx;
  const live = pair.live!;
  const bridge = bridgeOf(pair.desired!);
  const bridgeRef = formatKey(keyOf(bridge));
  const leftover = ctx.live.find((obj) => formatKey(keyOf(obj)) === bridgeRef);
  const stored = leftover
    ? await client.apply(bridge, {
        dryRun,
        force: true,
        expect: { resourceVersion: leftover.metadata.resourceVersion },
      })
    : await client.create(bridge, { dryRun });
  await client.delete(pair.key, { dryRun, preconditions: preconditionsOf(live) });
  if (dryRun) return;
  await client.create(pair.desired!, { dryRun });
  await client.delete(keyOf(bridge), { dryRun, preconditions: preconditionsOf(stored) });
  removed.add(bridgeRef);
}

/**
 * A token's ServiceAccount whose suspension changed: deleted (preconditions: the object Roster read) and created
 * again. The API server checks a bound token's ServiceAccount UID, so every token minted for the old one stops
 * working; that is the point, so unlike a binding there is no bridge. If the delete went through but the create
 * did not, the next run creates it (it is simply missing). A dry run checks the delete only.
 */
async function replaceServiceAccount(pair: Pair, ctx: ApplyContext): Promise<void> {
  await ctx.client.delete(pair.key, { dryRun: ctx.dryRun, preconditions: preconditionsOf(pair.live!) });
  if (ctx.dryRun) return;
  await ctx.client.create(pair.desired!, { dryRun: false });
}

function preconditionsOf(obj: LiveObject): { uid: string; resourceVersion: string } {
  return { uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion };
}

function bridgeOf(desired: ManagedObject): ManagedObject {
  return {
    ...desired,
    metadata: { ...desired.metadata, name: boundedName([desired.metadata.name, 'replacing']) },
  } as ManagedObject;
}

/** A failed write is reported against its object; an unreachable cluster stops the whole cluster instead. */
function writeFailure(pair: Pair, err: unknown): Change {
  if (!isApiError(err) || err.unreachable) throw err;
  const apiErr: ApiError = err;
  const reason =
    isApiError(err, 409) && pair.verdict === Verdict.update
      ? `${apiErr.detail} (changed since it was read; the next run retries)`
      : apiErr.detail;
  return changeOf(pair, Action.failed, { reason });
}

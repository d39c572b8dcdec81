/**
 * Writes that know they may have happened. The requester (src/cluster/retry.ts) never sends a write again after a
 * failure that leaves it unknown whether the server carried it out (a timeout or a reset after sending, a 5xx
 * without Retry-After); it marks the error `ambiguous`. Here such a write is settled by reading the object back,
 * the way kubectl decides from what is live:
 * - create: the object exists with this instance's labels and the desired content → it was created (also when a
 *   create answers 409 AlreadyExists: a create that landed once and was sent again is success, not a conflict);
 *   absent → it did not happen, create again;
 * - apply (server-side apply with the resourceVersion Roster read): the live object already holds the desired
 *   content → done; still at the resourceVersion Roster read → it did not happen, apply again; changed otherwise →
 *   a conflict, as the precondition would have answered;
 * - delete (with uid and resourceVersion preconditions): gone → deleted; still the same object at the same version
 *   → delete again; replaced or changed → a conflict, as the precondition would have answered.
 * A dry run stores nothing, so an ambiguous dry run is simply sent again. At most `MAX_ROUNDS` sends per write,
 * with backoff between them (the requester's policy): a server answering 503 to a burst of writes gets time to
 * recover instead of an immediate resend. A read that fails for want of an answer fails the cluster, like any
 * unanswered request.
 */

import { ApiError, isApiError } from '../cluster/errors.js';
import { realClock, type Clock } from '../cluster/ratelimit.js';
import { backoff, DEFAULT_RETRY } from '../cluster/retry.js';
import type { ApplyOptions, ClusterClient, CreateOptions, DeleteOptions, LiveObject } from '../cluster/types.js';
import { keyOf, type ResourceKey } from '../resources/key.js';
import type { ManagedObject } from '../resources/types.js';
import { ownedEqual } from './normalize.js';
import { ownedBy } from './prune-guard.js';

/**
 * Sends of one write, the first included, before an ambiguous failure is given up on: as many as the requester
 * allows for any other failure (`maxAttempts`). Three were too few: at 5% of writes answered 503 without
 * Retry-After, three in a row for one of 1,500 creates failed about one fault-suite run in six.
 */
export const MAX_ROUNDS = DEFAULT_RETRY.maxAttempts;

/** A ClusterClient whose create, apply and delete settle ambiguous failures by reading back; reads pass through. */
export function settlingWrites(
  client: ClusterClient,
  instance: string,
  clock: Pick<Clock, 'sleep'> = realClock,
): ClusterClient {
  const settle: Settle = (send, decide) => settleWith(clock, send, decide);
  return {
    cluster: client.cluster,
    listNamespaces: () => client.listNamespaces(),
    list: (kind, selector) => client.list(kind, selector),
    get: (key) => client.get(key),
    create: (obj, opts) => createOne(settle, client, instance, obj, opts),
    apply: (obj, opts) => applyOne(settle, client, obj, opts),
    delete: (key, opts) => removeOne(settle, client, key, opts),
    impersonate: (user) => settlingWrites(client.impersonate(user), instance, clock),
    requests: () => client.requests(),
    close: () => client.close(),
  };
}

/** What reading back decided: done (with the live object), send again, or a conflict to report. */
type Settled<T> = { done: T } | { again: true } | { conflict: string };

type Decide<T> = (err: ApiError) => Promise<Settled<T> | undefined>;
type Settle = <T>(send: () => Promise<T>, decide: Decide<T>) => Promise<T>;
/** `clock` waits between sends (the requester's clock; tests pass one that does not wait). */
async function settleWith<T>(clock: Pick<Clock, 'sleep'>, send: () => Promise<T>, decide: Decide<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await send();
    } catch (err) {
      if (!isApiError(err)) throw err;
      const settled = await decide(err);
      if (settled === undefined) throw err;
      if ('done' in settled) return settled.done;
      if ('conflict' in settled) throw conflict(err, settled.conflict);
      if (round >= MAX_ROUNDS) throw err;
      await clock.sleep(backoff(round, DEFAULT_RETRY));
    }
  }
}

async function createOne(
  settle: Settle,
  client: ClusterClient,
  instance: string,
  obj: ManagedObject,
  opts: CreateOptions,
): Promise<LiveObject> {
  const key = keyOf(obj);
  return settle<LiveObject>(
    () => client.create(obj, opts),
    async (err) => {
      if (opts.dryRun) return err.ambiguous ? { again: true } : undefined;
      if (!err.ambiguous && !isApiError(err, 409)) return undefined;
      const live = await client.get(key);
      if (!live) return err.ambiguous ? { again: true } : undefined;
      if (!ownedBy(live, instance)) return undefined; // someone else's: the caller reports the 409 as a conflict
      if (ownedEqual(obj, live)) return { done: live };
      // Roster's own object with other content (written by a run racing this one): bring it to this commit.
      const expect = resourceVersionOf(live);
      return { done: await applyOne(settle, client, obj, { dryRun: false, force: true, expect }) };
    },
  );
}

async function applyOne(
  settle: Settle,
  client: ClusterClient,
  obj: ManagedObject,
  opts: ApplyOptions,
): Promise<LiveObject> {
  const key = keyOf(obj);
  return settle<LiveObject>(
    () => client.apply(obj, opts),
    async (err) => {
      if (!err.ambiguous) return undefined;
      if (opts.dryRun) return { again: true };
      const live = await client.get(key);
      if (!live) return { conflict: 'deleted since it was read; the next run creates it' };
      if (ownedEqual(obj, live)) return { done: live };
      if (!opts.expect || live.metadata.resourceVersion === opts.expect.resourceVersion) return { again: true };
      return { conflict: 'changed since it was read; the next run retries' };
    },
  );
}

async function removeOne(
  settle: Settle,
  client: ClusterClient,
  key: ResourceKey,
  opts: DeleteOptions,
): Promise<boolean> {
  return settle<boolean>(
    () => client.delete(key, opts),
    async (err) => {
      if (!err.ambiguous) return undefined;
      if (opts.dryRun) return { again: true };
      const live = await client.get(key);
      if (!live) return { done: true };
      const { uid, resourceVersion } = opts.preconditions;
      if (live.metadata.uid === uid && live.metadata.resourceVersion === resourceVersion) return { again: true };
      return { conflict: 'replaced or changed since it was read; not deleted' };
    },
  );
}

function resourceVersionOf(live: LiveObject): { resourceVersion: string } {
  return { resourceVersion: live.metadata.resourceVersion };
}

/** The answer the server's precondition would have given, had the reply not been lost. */
function conflict(cause: ApiError, detail: string): ApiError {
  return new ApiError(
    { cluster: cause.data.cluster, status: 409, reason: 'Conflict', verb: cause.data.verb, ref: cause.data.ref },
    `${detail} (settled by reading back after: ${cause.detail})`,
    cause,
  );
}

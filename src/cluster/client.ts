/** The ClusterClient over a real API server: paged LISTs, server-side apply, deletes with preconditions. */

import { formatKey, keyOf, type ResourceKey } from '../resources/key.js';
import { FIELD_MANAGER } from '../resources/labels.js';
import type { ManagedKind, ManagedObject } from '../resources/types.js';
import { isApiError } from './errors.js';
import { endpointFor } from './kubeconfig.js';
import { apiVersionOf, collectionPath, objectPath, withQuery } from './paths.js';
import { Requester } from './requester.js';
import type { ApplyOptions, ClusterClient, ConnectOptions, DeleteOptions, LiveObject, RequestCounts } from './types.js';

export const DEFAULTS = { rate: { qps: 100, burst: 200 }, timeoutMs: 30_000, maxInFlight: 16, pageSize: 1000 } as const;

/**
 * A resource version no stored object carries (etcd revisions never get near 2^63). Sent with a server-side
 * apply it turns the apply into "create, or 409 Conflict if any object of this name exists": one request, no GET,
 * and an object someone else made is never taken over.
 */
export const ABSENT_RESOURCE_VERSION = '9223372036854775807';

export async function connect(opts: ConnectOptions): Promise<ClusterClient> {
  const maxInFlight = opts.maxInFlight ?? DEFAULTS.maxInFlight;
  const endpoint = await endpointFor({ cluster: opts.cluster, context: opts.context, kubeconfig: opts.kubeconfig, maxSockets: maxInFlight });
  const requester = new Requester({ cluster: opts.cluster, endpoint, rate: opts.rate ?? DEFAULTS.rate, timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs, maxInFlight });
  return new KubeClusterClient(opts.cluster, requester, () => endpoint.agent.destroy());
}

interface ListPage {
  metadata?: { continue?: string };
  items: LiveObject[];
}

export class KubeClusterClient implements ClusterClient {
  constructor(
    readonly cluster: string,
    private readonly http: Requester,
    private readonly onClose: () => void,
  ) {}

  async listNamespaces(): Promise<string[]> {
    const items = await this.listAll('Namespace', undefined);
    return items.map((ns) => ns.metadata.name).sort();
  }

  list(kind: ManagedKind, labelSelector: string): Promise<LiveObject[]> {
    return this.listAll(kind, labelSelector);
  }

  async get(key: ResourceKey): Promise<LiveObject | undefined> {
    try {
      const res = await this.http.call({ verb: 'get', ref: formatKey(key) }, { method: 'GET', path: objectPath(key) });
      return withKind(JSON.parse(res.body) as LiveObject, key.kind);
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }

  async apply(obj: ManagedObject, opts: ApplyOptions): Promise<LiveObject> {
    const key = keyOf(obj);
    const resourceVersion = opts.expect === 'absent' ? ABSENT_RESOURCE_VERSION : opts.expect?.resourceVersion;
    const body = resourceVersion === undefined ? obj : { ...obj, metadata: { ...obj.metadata, resourceVersion } };
    const query = { fieldManager: FIELD_MANAGER, force: String(opts.force), dryRun: opts.dryRun ? 'All' : undefined };
    const res = await this.http.call(
      { verb: 'patch', ref: formatKey(key) },
      { method: 'PATCH', path: withQuery(objectPath(key), query), body, contentType: 'application/apply-patch+yaml' },
    );
    return JSON.parse(res.body) as LiveObject;
  }

  async delete(key: ResourceKey, opts: DeleteOptions): Promise<boolean> {
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: opts.preconditions };
    const path = withQuery(objectPath(key), { dryRun: opts.dryRun ? 'All' : undefined });
    try {
      await this.http.call({ verb: 'delete', ref: formatKey(key) }, { method: 'DELETE', path, body });
      return true;
    } catch (err) {
      if (isApiError(err, 404)) return false;
      throw err;
    }
  }

  requests(): RequestCounts {
    return this.http.requests();
  }

  close(): void {
    this.onClose();
  }

  /** One LIST, read page by page (limit/continue) so a large cluster never needs one huge response. */
  private async listAll(kind: ManagedKind, labelSelector: string | undefined): Promise<LiveObject[]> {
    const items: LiveObject[] = [];
    let next: string | undefined;
    do {
      const path = withQuery(collectionPath(kind), { labelSelector, limit: String(DEFAULTS.pageSize), continue: next });
      const res = await this.http.call({ verb: 'list', ref: kind }, { method: 'GET', path });
      const page = JSON.parse(res.body) as ListPage;
      for (const item of page.items) items.push(withKind(item, kind));
      next = page.metadata?.continue || undefined;
    } while (next);
    return items;
  }
}

/** Items of a LIST carry no kind or apiVersion; give them back so every live object looks the same. */
function withKind(obj: LiveObject, kind: ManagedKind): LiveObject {
  obj.kind = kind;
  obj.apiVersion = apiVersionOf(kind);
  return obj;
}

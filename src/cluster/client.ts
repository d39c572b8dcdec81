/** The ClusterClient over a real API server: paged LISTs, server-side apply, deletes with preconditions. */

import { formatKey, keyOf, type ResourceKey } from '../resources/key.js';
import { FIELD_MANAGER } from '../resources/labels.js';
import type { ManagedKind, ManagedObject } from '../resources/types.js';
import { isApiError } from './errors.js';
import { endpointFor } from './kubeconfig.js';
import { apiVersionOf, collectionPath, createPath, objectPath, withQuery } from './paths.js';
import { decodeList, decodeOne, PROTOBUF } from './protobuf.js';
import { Requester } from './requester.js';
import type { HttpResponse } from './transport.js';
import { requestToken, reviewAccess } from './reviews.js';
import { reviewSelf, signClientCertificate } from './credentials.js';
import type { Decision, RequestAttributes, UserInfo } from '../resources/authorization.js';
import type {
  CertificateRequest,
  IssuedCertificate,
  SelfSubject,
  SignOptions,
  ApplyOptions,
  ClusterClient,
  ClusterReviews,
  ConnectOptions,
  CreateOptions,
  DeleteOptions,
  IssuedToken,
  LiveObject,
} from './types.js';

export const DEFAULTS = {
  rate: { qps: 1000, burst: 1000 },
  timeoutMs: 30_000,
  maxInFlight: 16,
  pageSize: 10_000,
} as const;

export async function connect(opts: ConnectOptions): Promise<ClusterClient & ClusterReviews> {
  const maxInFlight = opts.maxInFlight ?? DEFAULTS.maxInFlight;
  const endpoint = await endpointFor({
    cluster: opts.cluster,
    context: opts.context,
    kubeconfig: opts.kubeconfig,
    maxSockets: maxInFlight,
  });
  const requesterFor = (headers: Record<string, string>) =>
    new Requester({
      cluster: opts.cluster,
      endpoint: { ...endpoint, headers: { ...endpoint.headers, ...headers } },
      rate: opts.rate ?? DEFAULTS.rate,
      timeoutMs: opts.timeoutMs ?? DEFAULTS.timeoutMs,
      maxInFlight,
    });
  return new KubeClusterClient(opts.cluster, requesterFor({}), () => endpoint.agent.destroy(), requesterFor);
}

/** Protobuf when the server speaks it for this type, else JSON. */
const ACCEPT_PROTOBUF = `${PROTOBUF}, application/json`;

interface ListPage {
  metadata?: { continue?: string };
  items: LiveObject[];
}

export class KubeClusterClient implements ClusterClient, ClusterReviews {
  /** Impersonating clients by user: they share the connection pool, and their requests count with these. */
  private readonly personas = new Map<string, KubeClusterClient>();

  constructor(
    readonly cluster: string,
    private readonly http: Requester,
    private readonly onClose: () => void,
    private readonly requesterFor?: (headers: Record<string, string>) => Requester,
  ) {}

  /**
   * The `Impersonate-User` header (client-go's `rest.ImpersonationConfig`): the API server checks that this
   * client's own identity may impersonate `user`, then authorises the request as `user` alone.
   */
  impersonate(user: string): ClusterClient {
    let persona = this.personas.get(user);
    if (!persona) {
      if (!this.requesterFor) throw new Error(`cluster ${this.cluster}: this client cannot impersonate`);
      const http = this.requesterFor({ 'Impersonate-User': user });
      persona = new KubeClusterClient(this.cluster, http, () => undefined);
      this.personas.set(user, persona);
    }
    return persona;
  }

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

  /**
   * A plain create (POST): its 409 AlreadyExists is the one-request way to never take over an existing object.
   * It costs the API server markedly less than a server-side apply that creates, and creates are most of a first
   * run; later changes go through server-side apply, which moves field ownership to Roster's Apply entry. The
   * answer comes back in protobuf: a third of the JSON's size (no managedFields read), cheaper to decode. (A
   * protobuf request body was measured too: the API server spent ~2 % less CPU on it, less than encoding it cost.)
   */
  async create(obj: ManagedObject, opts: CreateOptions): Promise<LiveObject> {
    const key = keyOf(obj);
    const path = withQuery(createPath(key), { fieldManager: FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined });
    const res = await this.http.call(
      { verb: 'create', ref: formatKey(key) },
      { method: 'POST', path, body: obj, accept: ACCEPT_PROTOBUF },
    );
    return liveObject(res, key.kind);
  }

  async apply(obj: ManagedObject, opts: ApplyOptions): Promise<LiveObject> {
    const key = keyOf(obj);
    const resourceVersion = opts.expect?.resourceVersion;
    const body = resourceVersion === undefined ? obj : { ...obj, metadata: { ...obj.metadata, resourceVersion } };
    const query = { fieldManager: FIELD_MANAGER, force: String(opts.force), dryRun: opts.dryRun ? 'All' : undefined };
    const res = await this.http.call(
      { verb: 'patch', ref: formatKey(key) },
      {
        method: 'PATCH',
        path: withQuery(objectPath(key), query),
        body,
        contentType: 'application/apply-patch+yaml',
        accept: ACCEPT_PROTOBUF,
      },
    );
    return liveObject(res, key.kind);
  }

  async delete(key: ResourceKey, opts: DeleteOptions): Promise<boolean> {
    // With a body, the API server reads every delete option from it and ignores the query: dryRun goes in here.
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      preconditions: opts.preconditions,
      ...(opts.dryRun ? { dryRun: ['All'] } : {}),
    };
    const path = objectPath(key);
    try {
      await this.http.call({ verb: 'delete', ref: formatKey(key) }, { method: 'DELETE', path, body });
      return true;
    } catch (err) {
      if (isApiError(err, 404)) return false;
      throw err;
    }
  }

  requestToken(serviceAccount: { namespace: string; name: string }, expirationSeconds: number): Promise<IssuedToken> {
    return requestToken(this.http, { cluster: this.cluster, ...serviceAccount }, expirationSeconds);
  }

  reviewAccess(user: UserInfo, attrs: RequestAttributes): Promise<Decision> {
    return reviewAccess(this.http, user, attrs);
  }

  signClientCertificate(req: CertificateRequest, opts: SignOptions): Promise<IssuedCertificate> {
    return signClientCertificate(this.http, this.cluster, req, opts);
  }

  reviewSelf(): Promise<SelfSubject> {
    return reviewSelf(this.http);
  }

  requests(): Record<string, number> {
    const counts = this.http.requests();
    for (const persona of this.personas.values()) {
      for (const [verb, n] of Object.entries(persona.requests())) counts[verb] = (counts[verb] ?? 0) + n;
    }
    return counts;
  }

  close(): void {
    this.onClose();
  }

  /**
   * One LIST, read page by page (limit/continue) so a large cluster never needs one huge response. Asked for in
   * protobuf, which the API server encodes faster and this client reads without touching managedFields.
   */
  private async listAll(kind: ManagedKind, labelSelector: string | undefined): Promise<LiveObject[]> {
    const items: LiveObject[] = [];
    let next: string | undefined;
    do {
      const path = withQuery(collectionPath(kind), { labelSelector, limit: String(DEFAULTS.pageSize), continue: next });
      const res = await this.http.call({ verb: 'list', ref: kind }, { method: 'GET', path, accept: ACCEPT_PROTOBUF });
      const page = res.contentType.startsWith(PROTOBUF) ? decodeList(res.raw, kind) : jsonPage(res.body);
      for (const item of page.items) items.push(withKind(item, kind));
      next = page.continue || undefined;
    } while (next);
    return items;
  }
}

/** What a write answered, read in whichever encoding the server chose. */
function liveObject(res: HttpResponse, kind: ManagedKind): LiveObject {
  const obj = res.contentType.startsWith(PROTOBUF) ? decodeOne(res.raw, kind) : (JSON.parse(res.body) as LiveObject);
  return withKind(obj, kind);
}

function jsonPage(body: string): { items: LiveObject[]; continue?: string } {
  const page = JSON.parse(body) as ListPage;
  return { items: page.items, continue: page.metadata?.continue ?? '' };
}

/** Items of a LIST carry no kind or apiVersion; give them back so every live object looks the same. */
function withKind(obj: LiveObject, kind: ManagedKind): LiveObject {
  obj.kind = kind;
  obj.apiVersion = apiVersionOf(kind);
  return obj;
}

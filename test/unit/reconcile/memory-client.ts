/**
 * An in-memory ClusterClient for unit tests of the apply and prune stages' decisions (which write, in which order,
 * what is reported). It is not evidence that reconciling works: the integration tests against real API servers are.
 */
import { ApiError } from '../../../src/cluster/errors.js';
import type {
  ApplyOptions,
  ClusterClient,
  CreateOptions,
  DeleteOptions,
  LiveObject,
} from '../../../src/cluster/types.js';
import { formatKey, keyOf, type ResourceKey } from '../../../src/resources/key.js';
import type { ManagedKind, ManagedObject } from '../../../src/resources/types.js';
import { asLive } from './objects.js';

export class MemoryClient implements ClusterClient {
  readonly cluster = 'memory';
  readonly objects = new Map<string, LiveObject>();
  /** `verb ref` per call, in order. */
  readonly log: string[] = [];
  /** Refs whose writes the "server" forbids. */
  readonly forbidden = new Set<string>();
  private counts: Record<string, number> = {};
  /** Set on the view `impersonate()` returns: its calls are logged as `verb ref as user`. */
  private user?: string;

  constructor(initial: LiveObject[] = []) {
    for (const obj of initial) this.objects.set(formatKey(keyOf(obj)), obj);
  }

  async listNamespaces(): Promise<string[]> {
    this.count('list');
    return [];
  }

  async list(kind: ManagedKind): Promise<LiveObject[]> {
    this.count('list');
    return [...this.objects.values()].filter((o) => o.kind === kind).map((o) => structuredClone(o));
  }

  async get(key: ResourceKey): Promise<LiveObject | undefined> {
    this.record('get', formatKey(key));
    const obj = this.objects.get(formatKey(key));
    return obj && structuredClone(obj);
  }

  async create(obj: ManagedObject, opts: CreateOptions): Promise<LiveObject> {
    const ref = formatKey(keyOf(obj));
    this.record(opts.dryRun ? 'create(dry)' : 'create', ref);
    if (this.forbidden.has(ref) || this.forbidden.has(`${ref} as ${this.user}`))
      throw this.error(ref, 403, 'Forbidden');
    if (this.objects.has(ref)) throw this.error(ref, 409, 'AlreadyExists');
    const stored = asLive(obj);
    if (!opts.dryRun) this.objects.set(ref, stored);
    return stored;
  }

  async apply(obj: ManagedObject, opts: ApplyOptions): Promise<LiveObject> {
    const ref = formatKey(keyOf(obj));
    this.record(opts.dryRun ? 'patch(dry)' : 'patch', ref);
    if (this.forbidden.has(ref) || this.forbidden.has(`${ref} as ${this.user}`))
      throw this.error(ref, 403, 'Forbidden');
    const existing = this.objects.get(ref);
    if (opts.expect && existing?.metadata.resourceVersion !== opts.expect.resourceVersion)
      throw this.error(ref, 409, 'Conflict');
    const stored = asLive(obj);
    if (!opts.dryRun) this.objects.set(ref, stored);
    return stored;
  }

  async delete(key: ResourceKey, opts: DeleteOptions): Promise<boolean> {
    const ref = formatKey(key);
    this.record(opts.dryRun ? 'delete(dry)' : 'delete', ref);
    if (this.forbidden.has(ref) || this.forbidden.has(`${ref} as ${this.user}`))
      throw this.error(ref, 403, 'Forbidden');
    const existing = this.objects.get(ref);
    if (!existing) return false;
    if (existing.metadata.uid !== opts.preconditions.uid) throw this.error(ref, 409, 'Conflict');
    if (!opts.dryRun) this.objects.delete(ref);
    return true;
  }

  /** A view of the same objects, log and counts whose calls are logged with the impersonated user. */
  impersonate(user: string): ClusterClient {
    const persona = Object.create(this) as MemoryClient;
    persona.user = user;
    return persona;
  }

  requests(): Record<string, number> {
    return { ...this.counts };
  }

  close(): void {}

  private record(verb: string, ref: string): void {
    this.count(verb.replace('(dry)', ''));
    this.log.push(this.user ? `${verb} ${ref} as ${this.user}` : `${verb} ${ref}`);
  }

  private count(verb: string): void {
    this.counts[verb] = (this.counts[verb] ?? 0) + 1;
  }

  private error(ref: string, status: number, reason: string): ApiError {
    return new ApiError(
      { cluster: this.cluster, status, reason, verb: 'patch', ref },
      `${reason.toLowerCase()} by the test`,
    );
  }
}

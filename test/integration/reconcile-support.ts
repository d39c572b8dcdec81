/**
 * Helpers for the reconcile integration tests: a config repo written to a temp dir, the CLI run in-process, and
 * plain admin reads of the real clusters. Every test gets its own instance label, namespaces and role names, so
 * tests sharing the control plane never see each other's objects.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import type { LiveObject } from '../../src/cluster/types.js';
import type { RunJson } from '../../src/report/changes-json.js';
import { USER_AGENT } from '../../src/cluster/transport.js';
import type { AuditEvent } from '../harness/index.js';
import { controlPlane } from './fixtures.js';

export const RBAC = '/apis/rbac.authorization.k8s.io/v1';
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export interface GrantSpec {
  role: string;
  namespaces?: string[];
  clusters?: { names: string[] } | { matchLabels: Record<string, string> };
  expires?: string;
}

export interface RepoSpec {
  instance: string;
  prune?: { enabled: boolean; maxPercent: number };
  clusters?: Array<{ name: string; labels?: Record<string, string> }>;
  roles?: Array<{ name: string; scope: 'namespace' | 'cluster'; rules: unknown[] }>;
  teams: Array<{ name: string; users?: string[]; groups?: string[]; grants: GrantSpec[] }>;
}

const doc = (kind: string, name: string, spec: unknown, labels?: Record<string, string>) => ({
  apiVersion: 'roster/v1',
  kind,
  metadata: labels ? { name, labels } : { name },
  spec,
});

export function repoYaml(spec: RepoSpec): string {
  const docs = [
    doc('Settings', 'roster', { instance: spec.instance, prune: spec.prune ?? { enabled: true, maxPercent: 100 } }),
    ...(spec.clusters ?? [{ name: 'east' }, { name: 'west' }]).map((c) =>
      doc('Cluster', c.name, { context: c.name }, c.labels ?? {}),
    ),
    ...(spec.roles ?? []).map((r) => doc('Role', r.name, { scope: r.scope, rules: r.rules })),
    ...spec.teams.map((t) =>
      doc('Team', t.name, { members: { users: t.users ?? [], groups: t.groups ?? [] }, grants: t.grants }),
    ),
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

/** A config repository on disk; `write` replaces its content. */
export class TempRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'roster-it-'));

  constructor(spec?: RepoSpec | string) {
    if (spec) this.write(spec);
  }

  write(spec: RepoSpec | string): void {
    writeFileSync(join(this.dir, 'roster.yaml'), typeof spec === 'string' ? spec : repoYaml(spec));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** `roster <args> --repo <dir> --kubeconfig <the control plane's>`, in-process. */
export async function roster(repo: TempRepo, ...args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
  const code = await run([...args, '--repo', repo.dir, '--kubeconfig', controlPlane().kubeconfigPath], io);
  return { code, out, err };
}

/** A command's `-o json` run report (docs/output.md); fails the test when the command printed none. */
export async function rosterJson(
  repo: TempRepo,
  ...args: string[]
): Promise<{ code: number; json: RunJson; err: string }> {
  const res = await roster(repo, ...args, '-o', 'json');
  assert.ok(res.out, `roster ${args.join(' ')} printed no JSON (exit ${res.code}): ${res.err}`);
  return { code: res.code, json: JSON.parse(res.out) as RunJson, err: res.err };
}

export function actionsOf(json: RunJson, cluster: string): Record<string, string> {
  const result = json.clusters.find((c) => c.name === cluster);
  assert.ok(result, `no result for cluster ${cluster}`);
  return Object.fromEntries(result.changes.map((c) => [c.ref, c.action]));
}

export async function createNamespace(cluster: string, name: string): Promise<void> {
  const res = await controlPlane().request(cluster, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  assert.equal(res.status, 201, `cluster ${cluster}: creating namespace ${name} answered ${res.status}`);
}

/** The object at `path` as the API server returns it, or undefined when it does not exist. */
export async function get(cluster: string, path: string): Promise<LiveObject | undefined> {
  const res = await controlPlane().request(cluster, 'GET', path);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, `cluster ${cluster}: GET ${path} answered ${res.status}`);
  return res.body as LiveObject;
}

/** Like `get`, for an object the test knows exists. */
export async function getExisting(cluster: string, path: string): Promise<LiveObject> {
  const obj = await get(cluster, path);
  assert.ok(obj, `cluster ${cluster}: ${path} does not exist`);
  return obj;
}

export function bindingPath(namespace: string, name: string): string {
  return `${RBAC}/namespaces/${namespace}/rolebindings/${encodeURIComponent(name)}`;
}

/** Everything this instance owns, and the test namespaces, gone from both clusters. */
export async function cleanUp(instance: string, namespaces: string[]): Promise<void> {
  const cp = controlPlane();
  const selector = encodeURIComponent(`roster.dev/instance=${instance}`);
  for (const cluster of cp.clusters.map((c) => c.name)) {
    await cp.request(cluster, 'DELETE', `${RBAC}/clusterroles?labelSelector=${selector}`);
    await cp.request(cluster, 'DELETE', `${RBAC}/clusterrolebindings?labelSelector=${selector}`);
    for (const ns of namespaces) await cp.request(cluster, 'DELETE', `/api/v1/namespaces/${ns}`);
  }
}

/** Requests Roster itself sent to a cluster since `since`, as the API server's audit log recorded them. */
export async function rosterRequests(cluster: string, since: Date, verbs?: string[]): Promise<AuditEvent[]> {
  const events = await controlPlane().auditEvents(cluster, verbs ? { since, verbs } : { since });
  return events.filter((e) => e.userAgent === USER_AGENT);
}

/** A namespaced Role of the test's own, named uniquely since it compiles to a cluster-scoped ClusterRole. */
export function podReader(name: string) {
  return {
    name,
    scope: 'namespace' as const,
    rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
  };
}

/**
 * Helpers for the fault suite: a kubeconfig whose contexts go through fault proxies (test/harness/fault-proxy.ts),
 * a repository of many RoleBindings, and the figures the suite prints.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { startFaultProxy, type FaultProxy, type FaultRates } from '../harness/fault-proxy.js';
import { controlPlane } from './fixtures.js';
import { createNamespace, podReader, RBAC, repoYaml, type TempRepo, type CliResult } from './reconcile-support.js';
import type { RunJson } from '../../src/report/changes-json.js';

/** One proxy per cluster and a kubeconfig (0600) whose context `<cluster>` goes through it. */
export interface ProxiedClusters {
  proxies: Record<string, FaultProxy>;
  kubeconfig: string;
  close(): Promise<void>;
}

export async function proxiedClusters(dir: string, clusters: string[], seed: number): Promise<ProxiedClusters> {
  const cp = controlPlane();
  const proxies: Record<string, FaultProxy> = {};
  for (const [i, name] of clusters.entries()) {
    const cluster = cp.cluster(name);
    proxies[name] = await startFaultProxy({
      upstream: cluster.server,
      ca: Buffer.from(cluster.caData, 'base64'),
      rates: {},
      seed: seed + i,
    });
  }
  const kubeconfig = join(dir, 'kubeconfig-faults');
  writeKubeconfigFor(
    kubeconfig,
    clusters.map((name) => ({ name, server: proxies[name]!.url })),
  );
  return {
    proxies,
    kubeconfig,
    close: async () => {
      await Promise.all(Object.values(proxies).map((p) => p.close()));
    },
  };
}

/** A kubeconfig (0600) with one admin context per cluster, named like it, at the given server URLs. */
export function writeKubeconfigFor(path: string, clusters: Array<{ name: string; server: string; caData?: string }>) {
  const token = controlPlane().users[0]!.token;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': clusters[0]!.name,
    clusters: clusters.map((c) => ({
      name: c.name,
      // A proxy speaks plain HTTP on loopback; client-node only accepts http:// with this flag set.
      cluster: c.caData
        ? { server: c.server, 'certificate-authority-data': c.caData }
        : { server: c.server, 'insecure-skip-tls-verify': true },
    })),
    users: [{ name: 'admin', user: { token } }],
    contexts: clusters.map((c) => ({ name: c.name, context: { cluster: c.name, user: 'admin' } })),
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

export function setRates(p: ProxiedClusters, rates: FaultRates): void {
  for (const proxy of Object.values(p.proxies)) proxy.setRates(rates);
}

/** `roster <args> --repo <dir> --kubeconfig <file>`, in-process. */
export async function rosterWith(kubeconfig: string, repo: TempRepo, ...args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
  const code = await run([...args, '--repo', repo.dir, '--kubeconfig', kubeconfig], io);
  return { code, out, err };
}

/**
 * `teams` teams (t0000, t0001, …; from t<first> when given), each granted the test's own role in every one of
 * `namespaces`: teams × namespaces bindings.
 */
export function bulkRepo(opts: {
  instance: string;
  role: string;
  namespaces: string[];
  teams: number;
  first?: number;
  clusters: string[];
}) {
  return repoYaml({
    instance: opts.instance,
    clusters: opts.clusters.map((name) => ({ name })),
    roles: [podReader(opts.role)],
    teams: Array.from({ length: opts.teams }, (_, n) => n + (opts.first ?? 0)).map((i) => ({
      name: `t${String(i).padStart(4, '0')}`,
      users: [`user${i}@example.com`],
      grants: [{ role: opts.role, namespaces: opts.namespaces }],
    })),
  });
}

export async function createNamespaces(clusters: string[], names: string[]): Promise<void> {
  for (const cluster of clusters) for (const ns of names) await createNamespace(cluster, ns);
}

/** Names of the RoleBindings this instance owns in the namespace, read as admin straight from the API server. */
export async function ownedBindings(cluster: string, namespace: string, instance: string): Promise<Set<string>> {
  const selector = encodeURIComponent(`roster.dev/instance=${instance}`);
  const res = await controlPlane().request(
    cluster,
    'GET',
    `${RBAC}/namespaces/${namespace}/rolebindings?labelSelector=${selector}`,
  );
  assert.equal(res.status, 200, `listing bindings in ${cluster}/${namespace}: ${res.status}`);
  return new Set((res.body as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name));
}

export function totalRequests(json: RunJson | undefined): number {
  assert.ok(json, 'the run printed no JSON report');
  let sum = 0;
  for (const c of json.clusters) for (const n of Object.values(c.requests)) sum += n;
  return sum;
}

/** `ref action reason` of every change that is a conflict or failed, in every cluster. */
export function badChanges(json: RunJson): string[] {
  return json.clusters.flatMap((c) =>
    c.changes
      .filter((ch) => ch.action === 'conflict' || ch.action === 'failed')
      .map((ch) => `${c.name} ${ch.ref} ${ch.action} ${ch.reason ?? ''}`),
  );
}

/** Counts of actions over all clusters, for messages. */
export function actionCounts(json: RunJson | undefined): Record<string, number> {
  assert.ok(json, 'the run printed no JSON report');
  const out: Record<string, number> = {};
  for (const c of json.clusters) for (const ch of c.changes) out[ch.action] = (out[ch.action] ?? 0) + 1;
  return out;
}

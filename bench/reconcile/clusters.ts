/**
 * Many clusters (not a test): `npm run build && node dist/bench/reconcile/clusters.js [clusters] [teams]`.
 * N real API servers (default 10), each with the same 100 namespaces, and one committed repository declaring all
 * of them: TEAMS team files × 5 namespaces (default 1,000 → 5,001 objects per cluster). `roster apply` as a child
 * process with the default cluster concurrency, first on one cluster (`--cluster c00`), then on all N: cold apply
 * (every cluster emptied first, empty document cache) and no-op (warm document cache). Wall time, N clusters against
 * one, the requests the audit logs saw, and the process's peak RSS (GNU time). Load average beside every figure.
 */

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_DEFAULTS } from '../../src/reconcile/engine.js';
import { startControlPlane, type ControlPlane } from '../../test/harness/index.js';
import { createNamespaces, reset } from './cluster.js';
import { writeRepo } from './repo.js';
import { audited, exec, load, ROSTER_BIN } from './tools.js';
import { USER_AGENT } from '../../src/cluster/transport.js';

const CLUSTERS = Number(process.argv[2] ?? 10);
const TEAMS = Number(process.argv[3] ?? 1000);
const names = Array.from({ length: CLUSTERS }, (_, i) => `c${String(i).padStart(2, '0')}`);

interface Run {
  ms: number;
  rssMiB: number;
  requests: number;
}

async function apply(cp: ControlPlane, repo: string, work: string, only?: string): Promise<Run> {
  const args = [ROSTER_BIN, 'apply', '--repo', repo, '--kubeconfig', cp.kubeconfigPath, '-o', 'json'];
  if (only) args.push('--cluster', only);
  const since = new Date();
  const rss = join(work, 'rss.txt');
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: join(work, 'cache') };
  delete env.KUBECONFIG;
  const res = await exec(process.execPath, args, { env, rss });
  if (res.code !== 0) throw new Error(`roster apply exited ${res.code}: ${res.stderr.slice(0, 2000)}`);
  const counts = await audited(cp, only ? [only] : names, since, (ua) => ua === USER_AGENT);
  return { ms: res.ms, rssMiB: res.maxRssMiB ?? NaN, requests: Object.values(counts).reduce((a, b) => a + b, 0) };
}

const show = (label: string, r: Run) =>
  console.log(
    `  ${label.padEnd(34)} ${r.ms.toFixed(0).padStart(7)} ms  peak RSS ${r.rssMiB.toFixed(0)} MiB  ` +
      `${r.requests} requests  (${load()})`,
  );

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'roster-clusters-'));
  const repo = join(work, 'repo');
  mkdirSync(repo);
  writeRepo(repo, TEAMS, names);
  console.log(
    `${CLUSTERS} clusters × ${TEAMS * 5 + 1} objects; cluster concurrency ${ENGINE_DEFAULTS.clusterConcurrency} ` +
      `(default); ${load()}`,
  );
  const started = Date.now();
  const cp = await startControlPlane({ names, concurrency: 2 });
  console.log(`  ${CLUSTERS} API servers ready in ${((Date.now() - started) / 1000).toFixed(0)} s (${load()})`);
  try {
    for (const name of names) await createNamespaces(cp, name);
    // Each cold apply starts from an empty document cache too (a new commit), each no-op from a warm one.
    const cold = (only?: string) => (
      rmSync(join(work, 'cache'), { recursive: true, force: true }),
      apply(cp, repo, work, only)
    );
    const one = { cold: await cold(names[0]), noop: await apply(cp, repo, work, names[0]) };
    show('1 cluster, cold apply', one.cold);
    show('1 cluster, no-op', one.noop);
    for (const name of names) await reset(cp, name);
    const all = { cold: await cold(), noop: await apply(cp, repo, work) };
    show(`${CLUSTERS} clusters, cold apply`, all.cold);
    show(`${CLUSTERS} clusters, no-op`, all.noop);
    console.log(
      `  ${CLUSTERS} clusters / 1 cluster: cold ${(all.cold.ms / one.cold.ms).toFixed(2)}x, ` +
        `no-op ${(all.noop.ms / one.noop.ms).toFixed(2)}x (target ≤ 2x)`,
    );
  } finally {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

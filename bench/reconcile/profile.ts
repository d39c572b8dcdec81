/**
 * Where a run goes (not a test): `npm run build && node dist/bench/reconcile/profile.js [teams] [warm|cold|apply]`.
 * One real API server, TEAMS team files × 5 namespaces applied, then `roster apply` no-op as a child process under
 * `node --cpu-prof`, with a warm document cache (default) or an empty one; `apply` profiles the cold apply itself
 * (an empty cluster, 5,001 creates). Prints the CPU the API server and its etcd spent meanwhile (they share the
 * machine's cores with Roster), self time by package or file and the heaviest functions; the .cpuprofile is kept
 * for a closer look (Chrome DevTools, speedscope).
 */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane } from '../../test/harness/index.js';
import { createNamespaces } from './cluster.js';
import { serverCpu } from './cpu.js';
import { writeRepo } from './repo.js';
import { exec, load, ROSTER_BIN, rosterApply } from './tools.js';

const TEAMS = Number(process.argv[2] ?? 1000);
const MODE = process.argv[3] ?? 'warm';
if (!['warm', 'cold', 'apply'].includes(MODE)) throw new Error(`mode must be warm, cold or apply, got ${MODE}`);

interface Profile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

function summarise(file: string, keyOf: (url: string, fn: string, line: number) => string, top: number): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const { url, functionName, lineNumber } = byId.get(id)!.callFrame;
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const key = keyOf(url, functionName, lineNumber);
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(`  total ${(total / 1000).toFixed(0)} ms sampled`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}

const pkgOf = (url: string, fn: string) => {
  const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/dist/')) return url.replace(/.*\/dist\//, '');
  return url.startsWith('node:') ? 'node internals (module loading, streams, fs)' : `(${fn})`;
};

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'roster-profile-'));
  const repo = join(work, 'repo');
  mkdirSync(repo);
  writeRepo(repo, TEAMS, ['roster']);
  const cp = await startControlPlane({ names: ['roster'] });
  try {
    await createNamespaces(cp, 'roster');
    const cacheHome = join(work, 'cache');
    if (MODE !== 'apply') {
      const cold = await rosterApply(cp, 'roster', repo, { cacheHome });
      console.log(`cold apply ${cold.ms.toFixed(0)} ms (${load()})`);
      if (MODE === 'cold') rmSync(cacheHome, { recursive: true, force: true });
    }
    const dir = join(work, 'prof');
    const args = ['--cpu-prof', `--cpu-prof-dir=${dir}`, ROSTER_BIN, 'apply', '--repo', repo];
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
    const server = serverCpu(cp, 'roster');
    const before = server?.();
    const res = await exec(process.execPath, [...args, '--kubeconfig', cp.kubeconfigPath, '-o', 'json'], { env });
    const after = server?.();
    if (res.code !== 0) throw new Error(`roster apply exited ${res.code}: ${res.stderr}`);
    const what = MODE === 'apply' ? 'cold apply' : `no-op (${MODE === 'warm' ? 'warm' : 'empty'} document cache)`;
    console.log(`${what} ${res.ms.toFixed(0)} ms under --cpu-prof (${load()})`);
    if (before && after)
      console.log(
        `meanwhile: kube-apiserver ${after.apiserver - before.apiserver} ms CPU, ` +
          `etcd ${after.etcd - before.etcd} ms CPU`,
      );
    const file = join(dir, readdirSync(dir)[0]!);
    console.log('self time by package or file:');
    summarise(file, pkgOf, 25);
    console.log('heaviest functions:');
    summarise(
      file,
      (url, fn, line) => `${fn || '(anonymous)'} ${url.replace(/.*(node_modules|dist)\//, '')}:${line}`,
      30,
    );
    console.log(`profile: ${file} (kept)`);
  } finally {
    await cp.stop();
  }
}

await main();

/**
 * Where a cold apply goes (not a test): `npm run build && node dist/bench/reconcile/cold.js [teams] [rounds]`.
 * One real API server; each round applies TEAMS team files × 5 namespaces to an empty cluster with each tool in
 * turn (roster CLI, Flux's engine, kubectl --server-side), and prints wall time beside the CPU each side spent:
 * the tool's process (user + system, from /usr/bin/time) and the API server's and its etcd's (from /proc). On a
 * 2-core machine the tool and the API server share the CPU, so client CPU is server time lost.
 * Tools are the fourth argument (default `roster,flux,kubectl`); `before` is another Roster build, named by
 * ROSTER_BEFORE=<its dist/src/cli/bin.js>, to compare two builds in one run under the same load.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_DEFAULTS } from '../../src/reconcile/engine.js';
import { startControlPlane, type ControlPlane } from '../../test/harness/index.js';
import { buildFlux, buildManifests, createNamespaces, reset } from './cluster.js';
import { serverCpu } from './cpu.js';
import { writeRepo } from './repo.js';
import { exec, load, median, ROSTER_BIN } from './tools.js';

const TEAMS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const TOOLS = (process.argv[4] ?? 'roster,flux,kubectl').split(',');
const CLUSTER = 'bench';

interface Sample {
  ms: number;
  cpuMs: number;
  apiserverMs: number;
  etcdMs: number;
}

function command(tool: string, cp: ControlPlane, w: { repo: string; manifests: string; flux: string; cache: string }) {
  const kubeconfig = cp.kubeconfigPath;
  if (tool === 'roster' || tool === 'before') {
    const bin = tool === 'before' ? process.env.ROSTER_BEFORE : ROSTER_BIN;
    if (!bin) throw new Error('tool "before" needs ROSTER_BEFORE=<another build of dist/src/cli/bin.js>');
    return [process.execPath, bin, 'apply', '--repo', w.repo, '--kubeconfig', kubeconfig, '-o', 'json'];
  }
  if (tool === 'flux') {
    const concurrency = String(ENGINE_DEFAULTS.writeConcurrency);
    return [w.flux, '-kubeconfig', kubeconfig, '-context', CLUSTER, '-f', w.manifests, '-concurrency', concurrency];
  }
  return [join(cp.binDir, 'kubectl'), `--kubeconfig=${kubeconfig}`, `--context=${CLUSTER}`, 'apply'].concat([
    '--server-side',
    '-f',
    w.manifests,
  ]);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'roster-cold-'));
  const repo = join(work, 'repo');
  mkdirSync(repo);
  writeRepo(repo, TEAMS, [CLUSTER]);
  const flux = TOOLS.includes('flux') ? buildFlux(() => {}) : '';
  const cp = await startControlPlane({ names: [CLUSTER] });
  try {
    await createNamespaces(cp, CLUSTER);
    const w = {
      repo,
      manifests: await buildManifests(repo, join(work, 'manifests.yaml')),
      flux,
      cache: join(work, 'c'),
    };
    const server = serverCpu(cp, CLUSTER)!;
    const samples = new Map<string, Sample[]>();
    for (let r = 0; r < ROUNDS; r++) {
      for (const tool of [...TOOLS.slice(r % TOOLS.length), ...TOOLS.slice(0, r % TOOLS.length)]) {
        await reset(cp, CLUSTER);
        rmSync(w.cache, { recursive: true, force: true });
        const [file, ...args] = command(tool, cp, w);
        const times = join(work, 'time');
        const before = server();
        const env = { ...process.env, XDG_CACHE_HOME: w.cache };
        const res = await exec('/usr/bin/time', ['-f', '%U %S', '-o', times, file!, ...args], { env });
        const after = server();
        if (res.code !== 0) throw new Error(`${tool} exited ${res.code}: ${res.stderr.slice(0, 500)}`);
        const [user, sys] = readFileSync(times, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
        const s: Sample = {
          ms: res.ms,
          cpuMs: (user! + sys!) * 1000,
          apiserverMs: after.apiserver - before.apiserver,
          etcdMs: after.etcd - before.etcd,
        };
        samples.set(tool, [...(samples.get(tool) ?? []), s]);
        console.log(`  ${tool.padEnd(8)} ${line(s)}  (${load()})`);
      }
    }
    console.log(`medians of ${ROUNDS} rounds (${load()}):`);
    const rosterMs = median((samples.get('roster') ?? []).map((s) => s.ms));
    for (const [tool, list] of samples) {
      const m = (f: (s: Sample) => number) => median(list.map(f));
      const med = {
        ms: m((s) => s.ms),
        cpuMs: m((s) => s.cpuMs),
        apiserverMs: m((s) => s.apiserverMs),
        etcdMs: m((s) => s.etcdMs),
      };
      const ratio = tool === 'roster' || !rosterMs ? '' : `  ${(med.ms / rosterMs).toFixed(2)}x roster`;
      console.log(`  ${tool.padEnd(8)} ${line(med)}${ratio}`);
    }
  } finally {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function line(s: Sample): string {
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `wall ${f(s.ms)}  client CPU ${f(s.cpuMs)}  kube-apiserver CPU ${f(s.apiserverMs)}  etcd CPU ${f(s.etcdMs)}`;
}

await main();

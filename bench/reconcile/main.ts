/**
 * Reconcile benchmark (not a test): `npm run build && node dist/bench/reconcile/main.js [teams] [rounds]`.
 *
 * What users run, side by side in one run: three identical real API servers (test/harness), one per tool, each
 * with the same 100 namespaces, and TEAMS team files × 5 namespaces RoleBindings + 1 ClusterRole (default 1,000
 * teams → 5,001 objects), all as new processes:
 *   - roster:  `roster apply` on a committed Git repository (read from HEAD with isomorphic-git, as by default);
 *   - flux:    Flux's apply engine, fluxcd/pkg/ssa ResourceManager.ApplyAll (bench/fluxssa, built into .cache),
 *              on the manifests `roster build` prints, with Roster's write concurrency and no client throttling;
 *   - kubectl: `kubectl apply --server-side -f` of the same manifests (the control plane's kubectl build).
 * Each round runs the tools one after another in a rotating order, each from an empty cluster: cold apply, then
 * no-op. Roster's no-op runs twice: first with an empty document cache (a new commit), then with a warm one.
 * Figures are medians over the rounds; the load average is printed beside them (the machine may be shared).
 * Then, Roster only: the in-process figure (`serve`: JIT and memory cache warm), the bare LIST time (the 7 LISTs
 * of a no-op, in-process, fresh connection), and a next commit that changes 10 teams and removes 20 %.
 */

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/cluster/index.js';
import { ENGINE_DEFAULTS } from '../../src/reconcile/engine.js';
import { KIND_ORDER } from '../../src/resources/key.js';
import { ownershipSelector } from '../../src/resources/labels.js';
import { run } from '../../src/cli/main.js';
import { startControlPlane, type ControlPlane } from '../../test/harness/index.js';
import { buildFlux, buildManifests, createNamespaces, reset } from './cluster.js';
import { commitChange, INSTANCE, writeRepo } from './repo.js';
import { fluxApply, kubectlApply, load, median, rosterApply, totalRequests, verbs, type Measured } from './tools.js';

const TEAMS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const TOOLS = ['roster', 'flux', 'kubectl'] as const;
type Tool = (typeof TOOLS)[number];
type Phase = 'cold' | 'noop' | 'noopWarm';

interface Context {
  cp: ControlPlane;
  repo: string;
  manifests: string;
  flux: string;
  cacheHome: string;
}

const samples = new Map<string, Measured[]>();
const record = (tool: Tool, phase: Phase, m: Measured) => {
  const key = `${tool}/${phase}`;
  samples.set(key, [...(samples.get(key) ?? []), m]);
  console.log(
    `  ${key.padEnd(18)} ${m.ms.toFixed(0).padStart(7)} ms  ${totalRequests(m)} requests  ${m.note}  (${load()})`,
  );
};

async function round(ctx: Context, order: readonly Tool[]): Promise<void> {
  for (const tool of order) {
    await reset(ctx.cp, tool);
    if (tool === 'roster') {
      rmSync(ctx.cacheHome, { recursive: true, force: true });
      record(tool, 'cold', await rosterApply(ctx.cp, tool, ctx.repo, { cacheHome: ctx.cacheHome }));
      rmSync(ctx.cacheHome, { recursive: true, force: true });
      record(tool, 'noop', await rosterApply(ctx.cp, tool, ctx.repo, { cacheHome: ctx.cacheHome }));
      record(tool, 'noopWarm', await rosterApply(ctx.cp, tool, ctx.repo, { cacheHome: ctx.cacheHome }));
    } else if (tool === 'flux') {
      const concurrency = ENGINE_DEFAULTS.writeConcurrency;
      record(tool, 'cold', await fluxApply(ctx.cp, ctx.flux, tool, ctx.manifests, concurrency));
      record(tool, 'noop', await fluxApply(ctx.cp, ctx.flux, tool, ctx.manifests, concurrency));
    } else {
      record(tool, 'cold', await kubectlApply(ctx.cp, tool, ctx.manifests));
      record(tool, 'noop', await kubectlApply(ctx.cp, tool, ctx.manifests));
    }
  }
}

const med = (tool: Tool, phase: Phase) => median((samples.get(`${tool}/${phase}`) ?? []).map((m) => m.ms));

function report(): void {
  const cell = (s: string, w: number) => s.padStart(w);
  console.log(`\nmedians of ${ROUNDS} rounds (${load()}); Nx = how many times longer than Roster`);
  console.log(
    `${'phase'.padEnd(26)}${cell('roster (CLI)', 14)}` +
      `${cell('Flux ssa ApplyAll', 26)}${cell('kubectl --server-side', 26)}`,
  );
  const rows: Array<[string, Phase]> = [
    ['cold apply', 'cold'],
    ['no-op, new commit', 'noop'],
    ['no-op, warm cache', 'noopWarm'],
  ];
  for (const [label, phase] of rows) {
    const mine = med('roster', phase);
    const peer = (tool: Tool, p: Phase) => {
      const ms = med(tool, p);
      return `${ms.toFixed(0)} ms ${(ms / mine).toFixed(1)}x`;
    };
    const p = phase === 'noopWarm' ? 'noop' : phase;
    console.log(
      `${label.padEnd(26)}${cell(`${mine.toFixed(0)} ms`, 14)}` +
        `${cell(peer('flux', p), 26)}${cell(peer('kubectl', p), 26)}`,
    );
  }
  console.log('requests (audit log, last round):');
  for (const key of samples.keys()) {
    const last = samples.get(key)!.at(-1)!;
    console.log(`  ${key.padEnd(18)} ${String(totalRequests(last)).padStart(6)}  (${verbs(last)})`);
  }
}

/** The 7 LISTs of a no-op (namespaces + one per managed kind), in-process, on a fresh connection each time. */
async function bareList(cp: ControlPlane): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const client = await connect({ cluster: 'roster', context: 'roster', kubeconfig: cp.kubeconfigPath });
    const selector = ownershipSelector(INSTANCE);
    await Promise.all([client.listNamespaces(), ...KIND_ORDER.map((k) => client.list(k, selector))]);
    client.close();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** `roster apply` no-op in this process, as `serve` runs it: warm JIT, warm memory cache. */
async function inProcess(ctx: Context): Promise<number> {
  const silent = { out: () => {}, err: () => {}, color: false };
  const argv = ['apply', '--repo', ctx.repo, '--kubeconfig', ctx.cp.kubeconfigPath, '-o', 'json'];
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const code = await run(argv, silent);
    if (code !== 0) throw new Error(`in-process roster apply exited ${code}`);
    if (i > 0) times.push(performance.now() - started);
  }
  return median(times);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const repo = join(work, 'repo');
  mkdirSync(repo);
  writeRepo(repo, TEAMS, ['roster']);
  console.log(
    `${TEAMS} team files × 5 namespaces = ${TEAMS * 5} RoleBindings + 1 ClusterRole, committed; ` +
      `${ROUNDS} rounds (${load()})`,
  );
  const flux = buildFlux((l) => console.log(`  [fluxssa] ${l}`));
  const cp = await startControlPlane({ names: [...TOOLS], log: (l) => console.log(`  [control plane] ${l}`) });
  try {
    for (const tool of TOOLS) await createNamespaces(cp, tool);
    const manifests = await buildManifests(repo, join(work, 'manifests.yaml'));
    const ctx: Context = { cp, repo, manifests, flux, cacheHome: join(work, 'cache') };
    for (let r = 0; r < ROUNDS; r++) {
      console.log(`round ${r + 1}`);
      await round(ctx, [...TOOLS.slice(r % 3), ...TOOLS.slice(0, r % 3)]);
    }
    report();
    process.env.XDG_CACHE_HOME = ctx.cacheHome;
    console.log(
      `\nin-process (serve): no-op ${(await inProcess(ctx)).toFixed(0)} ms, median of 5 after one warm-up (${load()})`,
    );
    const list = await bareList(cp);
    const warm = med('roster', 'noopWarm');
    console.log(
      `bare LIST: ${list.toFixed(0)} ms (7 LISTs, in-process, fresh connection); ` +
        `CLI no-op with a warm cache is ${(warm / list).toFixed(1)}x that (${load()})`,
    );
    commitChange(repo, TEAMS, { removed: Math.round(TEAMS * 0.2), changed: 10 });
    const next = await rosterApply(cp, 'roster', repo, { cacheHome: ctx.cacheHome });
    console.log(
      `next commit (10 teams changed, 20 % removed; warm cache): ${next.ms.toFixed(0)} ms, ` +
        `${totalRequests(next)} requests (${verbs(next)}): ${next.note} (${load()})`,
    );
  } finally {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

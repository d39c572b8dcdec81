/**
 * Reconcile benchmark (not a test): `npx tsc -p . && node dist/bench/reconcile/main.js [teams]`.
 * One real API server (the test harness), TEAMS teams × 5 namespaces RoleBindings (default 1,000 → 5,000 objects).
 * Roster: cold apply, no-op re-apply, prune of 20% of the teams. Then, each from an empty cluster again, kubectl
 * with the manifests `roster build` prints:
 *   - `kubectl apply --server-side` (cold, no-op). kubectl refuses `--prune -l` with --server-side ("--prune is in
 *     alpha and doesn't currently work on objects created by server-side apply"), and its SSA-compatible ApplySet
 *     prune needs every object in the parent's namespace, so the prune comparator is:
 *   - `kubectl apply` client-side (cold, no-op), then `--prune -l <selector> --prune-allowlist=…` for the prune.
 * Targets: no-op ≥ 50× faster than kubectl with one LIST per kind and zero writes; cold apply ≥ 3× faster.
 * The machine may be shared: each timing is the best of a few runs (cold runs from an empty cluster each time),
 * so a burst of someone else's load does not decide a ratio.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownershipSelector } from '../../src/resources/labels.js';
import { startControlPlane, type ControlPlane } from '../../test/harness/index.js';
import { CLUSTER, INSTANCE, NAMESPACES, namespaceName, writeRepo } from './repo.js';
import { buildManifests, kubectl, roster, type Measured } from './tools.js';
import { compareCodeUnits } from '../../src/compare.js';

const TEAMS = Number(process.argv[2] ?? 1000);
const KEPT = Math.round(TEAMS * 0.8);
/** Extra `roster apply` flags, e.g. ROSTER_BENCH_ARGS="--qps 50"; ROSTER_BENCH_ONLY=roster skips kubectl. */
const ROSTER_ARGS = (process.env.ROSTER_BENCH_ARGS ?? '').split(' ').filter(Boolean);
const SELECTOR = ownershipSelector(INSTANCE);
const ALLOW = ['rbac.authorization.k8s.io/v1/RoleBinding', 'rbac.authorization.k8s.io/v1/ClusterRole'].map(
  (k) => `--prune-allowlist=${k}`,
);

type Phases = { cold: Measured; noop: Measured; prune?: Measured };

/** The fastest of `runs` runs, each after `before` (e.g. a reset for cold runs). */
async function best(
  runs: number,
  run: () => Promise<Measured>,
  before: () => Promise<void> = async () => {},
): Promise<Measured> {
  let fastest: Measured | undefined;
  for (let i = 0; i < runs; i++) {
    await before();
    const m = await run();
    if (!fastest || m.ms < fastest.ms) fastest = m;
  }
  return fastest!;
}

async function createNamespaces(cp: ControlPlane): Promise<void> {
  for (let i = 0; i < NAMESPACES; i++) {
    await cp.request(CLUSTER, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespaceName(i) },
    });
  }
}

/** Removes every object of the instance, so each tool starts from the same state. */
async function reset(cp: ControlPlane): Promise<void> {
  const selector = encodeURIComponent(SELECTOR);
  for (let i = 0; i < NAMESPACES; i++) {
    await cp.request(
      CLUSTER,
      'DELETE',
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespaceName(i)}/rolebindings?labelSelector=${selector}`,
    );
  }
  await cp.request(CLUSTER, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=${selector}`);
}

const total = (m: Measured) => Object.values(m.requests).reduce((a, b) => a + b, 0);
const verbs = (m: Measured) =>
  Object.entries(m.requests)
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');

function report(r: Phases, tracks: Array<[string, Phases]>): void {
  const pad = (c: string, i: number) => (i === 0 ? c.padEnd(16) : c.padStart(22));
  const line = (cells: string[]) => console.log(cells.map(pad).join(''));
  line(['phase', 'roster', ...tracks.map(([name]) => name)]);
  for (const phase of ['cold', 'noop', 'prune'] as const) {
    const mine = r[phase]!;
    const cells = tracks.map(([, t]) =>
      t[phase] ? `${t[phase]!.ms.toFixed(0)} ms ${(t[phase]!.ms / mine.ms).toFixed(1)}x` : '-',
    );
    line([phase, `${mine.ms.toFixed(0)} ms`, ...cells]);
  }
  console.log('\nms = wall time, best of 2 (cold, kubectl no-op) or 3 (Roster no-op) runs; kubectl csa runs once.');
  console.log('Nx = how many times longer than Roster. Requests, from the API server audit log:');
  for (const phase of ['cold', 'noop', 'prune'] as const) {
    console.log(`  ${phase}: roster ${total(r[phase]!)} (${verbs(r[phase]!)}) — ${r[phase]!.note}`);
    for (const [name, t] of tracks)
      if (t[phase])
        console.log(
          `  ${' '.repeat(phase.length)}  ${name} ${total(t[phase]!)} (${verbs(t[phase]!)}) — ${t[phase]!.note}`,
        );
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'roster-bench-'));
  const full = writeRepo(TEAMS, join(work, 'full'));
  const pruned = writeRepo(KEPT, join(work, 'pruned'));
  console.log(
    `${TEAMS} teams × 5 namespaces = ${TEAMS * 5} RoleBindings + 1 ClusterRole; the prune phase keeps ${KEPT} teams`,
  );
  const cp = await startControlPlane({ names: [CLUSTER], log: (l) => console.log(`  [control plane] ${l}`) });
  try {
    await createNamespaces(cp);
    const fullYaml = await buildManifests(full, work, 'full.yaml');
    const prunedYaml = await buildManifests(pruned, work, 'pruned.yaml');
    const fresh = () => reset(cp);
    const r: Phases = {
      cold: await best(2, () => roster(cp, full, ROSTER_ARGS), fresh),
      noop: await best(3, () => roster(cp, full, ROSTER_ARGS)),
      prune: await roster(cp, pruned, ROSTER_ARGS),
    };
    if (process.env.ROSTER_BENCH_ONLY === 'roster') return void report(r, []);
    const ssa: Phases = {
      cold: await best(2, () => kubectl(cp, fullYaml, ['--server-side']), fresh),
      noop: await best(2, () => kubectl(cp, fullYaml, ['--server-side'])),
    };
    await reset(cp);
    const csa: Phases = {
      cold: await kubectl(cp, fullYaml, []),
      noop: await kubectl(cp, fullYaml, []),
      prune: await kubectl(cp, prunedYaml, ['--prune', `-l=${SELECTOR}`, ...ALLOW]),
    };
    console.log('');
    report(r, [
      ['kubectl --server-side', ssa],
      ['kubectl csa --prune -l', csa],
    ]);
  } finally {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

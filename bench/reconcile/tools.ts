/** Running each tool once against the benchmark cluster: wall time, and the requests the audit log saw from it. */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { USER_AGENT } from '../../src/cluster/transport.js';
import type { ControlPlane } from '../../test/harness/index.js';
import { runKubectl } from '../../test/harness/kubectl.js';
import { CLUSTER } from './repo.js';

export interface Measured {
  ms: number;
  /** Requests by verb, from the API server's audit log. */
  requests: Record<string, number>;
  /** What the tool itself reported, for Roster: its own counter and the change counts. */
  note: string;
}

const silent = { out: () => {}, err: () => {}, color: false };

export async function roster(cp: ControlPlane, repo: string, args: string[]): Promise<Measured> {
  let out = '';
  const io = { ...silent, out: (t: string) => void (out += t) };
  const since = new Date();
  const started = performance.now();
  const code = await run(['apply', '--repo', repo, '--kubeconfig', cp.kubeconfigPath, '-o', 'json', ...args], io);
  const ms = performance.now() - started;
  const json = JSON.parse(out) as {
    clusters: Array<{ requests: Record<string, number>; error?: string }>;
    summary: { actions: Record<string, number> };
  };
  if (code !== 0) throw new Error(`roster apply exited ${code}: ${json.clusters[0]?.error ?? out.slice(0, 500)}`);
  const actions = Object.entries(json.summary.actions)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`)
    .join(', ');
  return { ms, requests: await audited(cp, since, (ua) => ua === USER_AGENT), note: actions };
}

/** `kubectl apply -f <manifests> <args>`, the pinned kubectl with the harness kubeconfig. */
export async function kubectl(cp: ControlPlane, manifests: string, args: string[]): Promise<Measured> {
  const since = new Date();
  const started = performance.now();
  const res = await runKubectl({
    binDir: cp.binDir,
    kubeconfigPath: cp.kubeconfigPath,
    context: CLUSTER,
    args: ['apply', '-f', manifests, ...args],
    timeoutMs: 900_000,
  });
  const ms = performance.now() - started;
  if (res.code !== 0) throw new Error(`kubectl apply exited ${res.code}: ${res.stderr.slice(0, 1000)}`);
  const lines = res.stdout.split('\n').filter(Boolean);
  const counts = ['serverside-applied', 'created', 'configured', 'unchanged', 'pruned']
    .map((w) => [w, lines.filter((l) => l.endsWith(` ${w}`)).length] as const)
    .filter(([, n]) => n > 0)
    .map(([w, n]) => `${n} ${w}`);
  return { ms, requests: await audited(cp, since, (ua) => ua.startsWith('kubectl')), note: counts.join(', ') };
}

async function audited(
  cp: ControlPlane,
  since: Date,
  by: (userAgent: string) => boolean,
): Promise<Record<string, number>> {
  const events = (await cp.auditEvents(CLUSTER, { since })).filter((e) => by(e.userAgent ?? ''));
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.verb] = (counts[e.verb] ?? 0) + 1;
  return counts;
}

/** `roster build` of the same repo: the manifests kubectl applies. */
export async function buildManifests(repo: string, dir: string, name: string): Promise<string> {
  let out = '';
  const code = await run(['build', '--repo', repo, '--cluster', CLUSTER], { ...silent, out: (t) => void (out += t) });
  if (code !== 0) throw new Error(`roster build exited ${code}`);
  const file = join(dir, name);
  writeFileSync(file, out);
  return file;
}

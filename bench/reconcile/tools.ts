/**
 * Running each tool the way its users do, as a new process against one benchmark cluster: wall time from spawn to
 * exit, and the requests the API server's audit log saw from it.
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { USER_AGENT } from '../../src/cluster/transport.js';
import { compareCodeUnits } from '../../src/compare.js';
import type { ControlPlane } from '../../test/harness/index.js';

export interface Measured {
  ms: number;
  /** Requests by verb, from the API server's audit log. */
  requests: Record<string, number>;
  /** What the tool itself reported (change counts). */
  note: string;
  /** Peak resident set of the process, when measured. */
  maxRssMiB?: number;
}

/** The compiled CLI, as `npm install` links it: `roster` is `node dist/src/cli/bin.js`. */
export const ROSTER_BIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'bin.js');
export const FLUX_USER_AGENT = 'fluxssa-bench';

export interface Exited {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  maxRssMiB?: number;
}

/**
 * Runs a program to its end. With `rss`, through /usr/bin/time so the child's peak RSS is known (time's own start
 * is a few milliseconds, the same for every tool measured that way).
 */
export function exec(
  file: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; rss?: string } = {},
): Promise<Exited> {
  const [cmd, argv]: [string, string[]] = opts.rss
    ? ['/usr/bin/time', ['-f', '%M', '-o', opts.rss, file, ...args]]
    : [file, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv, {
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      const kib = opts.rss ? Number(readFileSync(opts.rss, 'utf8').trim().split('\n').at(-1)) : NaN;
      resolve({ code: code ?? 1, stdout, stderr, ms, ...(Number.isFinite(kib) ? { maxRssMiB: kib / 1024 } : {}) });
    });
  });
}

const summarise = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${a}`)
    .join(', ');

/** `roster apply` as a child process, reading the committed repository (HEAD) as it does by default. */
export async function rosterApply(
  cp: ControlPlane,
  cluster: string,
  repo: string,
  opts: { cacheHome: string; extra?: string[]; rss?: string },
): Promise<Measured> {
  const args = [
    ROSTER_BIN,
    'apply',
    '--repo',
    repo,
    '--kubeconfig',
    cp.kubeconfigPath,
    '-o',
    'json',
    ...(opts.extra ?? []),
  ];
  const env = { ...withoutKubeconfig(), XDG_CACHE_HOME: opts.cacheHome };
  const since = new Date();
  const res = await exec(process.execPath, args, { env, ...(opts.rss ? { rss: opts.rss } : {}) });
  const json = parseJson(res.stdout) as {
    clusters?: Array<{ error?: string }>;
    summary?: { actions: Record<string, number> };
  };
  if (res.code !== 0 || !json?.summary)
    throw new Error(
      `roster apply exited ${res.code}: ${json?.clusters?.find((c) => c.error)?.error ?? res.stderr.slice(0, 1000)}`,
    );
  const requests = await audited(cp, [cluster], since, (ua) => ua === USER_AGENT);
  return {
    ms: res.ms,
    requests,
    note: summarise(json.summary.actions),
    ...(res.maxRssMiB ? { maxRssMiB: res.maxRssMiB } : {}),
  };
}

/** Flux's apply engine (fluxcd/pkg/ssa ApplyAll), built by bench/fluxssa/build.sh. */
export async function fluxApply(
  cp: ControlPlane,
  bin: string,
  cluster: string,
  manifests: string,
  concurrency: number,
): Promise<Measured> {
  const args = [
    '-kubeconfig',
    cp.kubeconfigPath,
    '-context',
    cluster,
    '-f',
    manifests,
    '-concurrency',
    String(concurrency),
  ];
  const since = new Date();
  const res = await exec(bin, args);
  const json = parseJson(res.stdout) as { actions?: Record<string, number> } | undefined;
  if (res.code !== 0 || !json?.actions) throw new Error(`fluxssa exited ${res.code}: ${res.stderr.slice(0, 1000)}`);
  const requests = await audited(cp, [cluster], since, (ua) => ua === FLUX_USER_AGENT);
  return { ms: res.ms, requests, note: summarise(json.actions) };
}

/** `kubectl apply --server-side -f <manifests>`, the control plane's own kubectl build. */
export async function kubectlApply(cp: ControlPlane, cluster: string, manifests: string): Promise<Measured> {
  const args = [`--kubeconfig=${cp.kubeconfigPath}`, `--context=${cluster}`, 'apply', '--server-side', '-f', manifests];
  const since = new Date();
  const res = await exec(join(cp.binDir, 'kubectl'), args, { env: withoutKubeconfig() });
  if (res.code !== 0) throw new Error(`kubectl apply exited ${res.code}: ${res.stderr.slice(0, 1000)}`);
  const lines = res.stdout.split('\n').filter(Boolean);
  const counts = Object.fromEntries(
    ['serverside-applied', 'unchanged'].map((w) => [w, lines.filter((l) => l.endsWith(` ${w}`)).length]),
  );
  const requests = await audited(cp, [cluster], since, (ua) => ua.startsWith('kubectl'));
  return { ms: res.ms, requests, note: summarise(counts) };
}

/** The environment without KUBECONFIG: every tool gets the harness kubeconfig by flag, nothing from the developer's. */
function withoutKubeconfig(): NodeJS.ProcessEnv {
  const { KUBECONFIG: _k, ...env } = process.env;
  return env;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Requests by verb from the clusters' audit logs since `since`, from the user agents `by` accepts. */
export async function audited(
  cp: ControlPlane,
  clusters: string[],
  since: Date,
  by: (userAgent: string) => boolean,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const cluster of clusters)
    for (const e of await cp.auditEvents(cluster, { since }))
      if (by(e.userAgent ?? '')) counts[e.verb] = (counts[e.verb] ?? 0) + 1;
  return counts;
}

export const totalRequests = (m: Measured) => Object.values(m.requests).reduce((a, b) => a + b, 0);
export const verbs = (m: Measured) =>
  Object.entries(m.requests)
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([v, n]) => `${v} ${n}`)
    .join(', ');

/** The 1, 5 and 15 minute load averages, printed beside every figure: this machine may be shared. */
export const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

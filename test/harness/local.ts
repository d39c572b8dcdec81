/**
 * startControlPlane: N independent clusters (etcd + kube-apiserver + kube-controller-manager each) from the pinned
 * binaries, one token file, one kubeconfig. Clusters start side by side, at most `concurrency` at a time. An
 * apiserver's bootstrap is partly waiting, so measured on 2 cores: 4 clusters take ~5 s four at a time but ~9 s two at
 * a time, and 5 clusters take ~7 s four at a time but ~9 s all at once. Hence twice the CPU count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { ensureBinaries } from './binaries.js';
import { trackFolder, untrackFolder } from './cleanup.js';
import { ControlPlaneStartError, HarnessError, UnknownNameError } from './errors.js';
import { makeControlPlane } from './facade.js';
import { contextName, writeKubeconfig } from './kubeconfig.js';
import { startLocalCluster, type LocalCluster } from './local-cluster.js';
import { makeUsers, writeTokenFile, type TestUser } from './pki.js';
import { reapStaleRuns, recordOwner, RUN_PREFIX } from './reaper.js';
import type { ControlPlane } from './types.js';

export interface StartOptions {
  /** Cluster names; each becomes a kubeconfig context. Lowercase letters, digits and '-'. Default east, west. */
  names?: string[];
  /** Parent of the run's temp folder; default the OS temp dir. */
  workDir?: string;
  /** Progress lines (build, start-up); never tokens. */
  log?: (line: string) => void;
  /** Per cluster, from etcd start to ready; default 120 s. */
  readyTimeoutMs?: number;
  /** Clusters starting at once; default twice the CPU count. */
  concurrency?: number;
}

export async function startControlPlane(options: StartOptions = {}): Promise<ControlPlane> {
  const opts = { ...options, names: options.names ?? ['east', 'west'] };
  checkNames(opts.names);
  const log = opts.log ?? (() => {});
  const binDir = await ensureBinaries({ log });
  const parent = opts.workDir ?? tmpdir();
  for (const dir of reapStaleRuns(parent)) log(`removed ${dir}, left behind by a run that was killed`);
  const root = mkdtempSync(join(parent, RUN_PREFIX));
  const keep = process.env.ROSTER_TEST_KEEP === '1'; // keep logs and data for a post-mortem, until the next run
  if (!keep) trackFolder(root);
  recordOwner(root);
  const users = makeUsers();
  const tokenFile = join(root, 'tokens.csv');
  writeTokenFile(tokenFile, users);
  const removeRoot = (): void => {
    if (keep) return log(`keeping ${root} (ROSTER_TEST_KEEP=1)`);
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };

  const local = await startAll(opts, { binDir, root, tokenFile, users, log }).catch((err: unknown) => {
    removeRoot();
    untrackFolder(root);
    throw err;
  });
  const kubeconfigPath = join(root, 'kubeconfig');
  writeKubeconfig(
    kubeconfigPath,
    local.map((l) => l.cluster),
    users,
  );

  return makeControlPlane({
    clusters: local.map((l) => l.cluster),
    users,
    kubeconfigPath,
    binDir,
    endpoint: (name, user) => {
      const l = byName(local, name);
      return { cluster: name, server: l.apiserver.server, ca: l.apiserver.caPem(), token: user.token };
    },
    kubectlTarget: (name, user) => ({ context: contextName(name, user.short), extraArgs: [] }),
    auditLogPath: (name) => byName(local, name).auditLogPath,
    stop: async () => {
      await Promise.all(local.map((l) => l.stop()));
      removeRoot();
      untrackFolder(root);
    },
  });
}

interface RunContext {
  binDir: string;
  root: string;
  tokenFile: string;
  users: TestUser[];
  log: (line: string) => void;
}

async function startAll(opts: StartOptions & { names: string[] }, run: RunContext): Promise<LocalCluster[]> {
  const limit = pLimit(opts.concurrency ?? 2 * availableParallelism());
  const adminToken = run.users[0]!.token;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const results = await Promise.allSettled(
    opts.names.map((name) =>
      limit(async () => {
        const l = await startLocalCluster({
          name,
          binDir: run.binDir,
          root: run.root,
          tokenFile: run.tokenFile,
          adminToken,
          readyTimeoutMs,
        });
        const cm = `kube-controller-manager ${l.controllerManagerMs} ms of it`;
        run.log(`cluster ${name}: ready at ${l.cluster.server} in ${l.cluster.startupMs} ms (${cm})`);
        return l;
      }),
    ),
  );
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 0) return started;
  await Promise.all(started.map((l) => l.stop()));
  if (failures.length === 1) throw failures[0];
  const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
  throw new ControlPlaneStartError(
    opts.names.join(', '),
    `${failures.length} clusters did not start:\n${messages.join('\n\n')}`,
  );
}

function byName(local: LocalCluster[], name: string): LocalCluster {
  const found = local.find((l) => l.cluster.name === name);
  if (!found)
    throw new UnknownNameError(
      'cluster',
      name,
      local.map((l) => l.cluster.name),
    );
  return found;
}

function checkNames(names: string[]): void {
  const bad = names.filter((n) => !/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(n));
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  if (names.length === 0 || bad.length > 0 || duplicates.length > 0) {
    throw new HarnessError(
      'InvalidClusterNames',
      `startControlPlane: cluster names must be unique DNS labels (got ${JSON.stringify(names)})`,
      { data: { names } },
    );
  }
}

/**
 * One independent test cluster: its own etcd, kube-apiserver and kube-controller-manager, service-account key,
 * cluster-signing CA, audit log and temp folder.
 * Any failure to start stops what did start and reports the tail of every component log.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApiserver, type Apiserver } from './apiserver.js';
import { writeAuditPolicy } from './audit.js';
import { startControllerManager } from './controller-manager.js';
import { ControlPlaneStartError } from './errors.js';
import { startEtcd, waitForEtcd, type Etcd } from './etcd.js';
import { freePort } from './ports.js';
import { writeServiceAccountKeys, writeSigningCa } from './pki.js';
import { tailFile, type ManagedProcess } from './process.js';
import type { TestCluster } from './types.js';

export interface LocalCluster {
  cluster: TestCluster;
  apiserver: Apiserver;
  auditLogPath: string;
  /** Of startupMs, the part spent waiting for kube-controller-manager to aggregate the bootstrap roles. */
  controllerManagerMs: number;
  /** Controller manager, then apiserver, so it does not spend its shutdown retrying a vanished etcd. */
  stop(): Promise<void>;
}

export interface LocalClusterOptions {
  name: string;
  binDir: string;
  /** The run's temp folder; the cluster gets `<root>/<name>/`. */
  root: string;
  tokenFile: string;
  adminToken: string;
  readyTimeoutMs: number;
}

export async function startLocalCluster(o: LocalClusterOptions): Promise<LocalCluster> {
  const started = Date.now();
  const dir = join(o.root, o.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let etcd: Etcd | undefined;
  let apiserver: Apiserver | undefined;
  let controllerManager: ManagedProcess | undefined;
  let controllerManagerMs: number;
  const stop = async (): Promise<void> => {
    await controllerManager?.stop();
    await apiserver?.stop();
    await etcd?.process.stop();
  };
  try {
    etcd = await startEtcd({ binDir: o.binDir, dir });
    await waitForEtcd(etcd, o.readyTimeoutMs);
    const signingCa = writeSigningCa(dir);
    apiserver = await createClusterApiserver(o, dir, etcd, signingCa.certPath);
    await apiserver.start({ timeoutMs: Math.max(o.readyTimeoutMs - (Date.now() - started), 10_000) });
    const cmStarted = Date.now();
    const ready = apiserver;
    controllerManager = await startControllerManager(
      { binDir: o.binDir, dir, server: ready.server, caPath: ready.caPath, adminToken: o.adminToken, signingCa },
      () => ({ cluster: o.name, server: ready.server, ca: ready.caPem(), token: o.adminToken }),
      Math.max(o.readyTimeoutMs - (Date.now() - started), 10_000),
    );
    controllerManagerMs = Date.now() - cmStarted;
  } catch (err) {
    const failure = startError(o.name, dir, err);
    await stop();
    throw failure;
  }
  const auditLogPath = join(dir, 'audit.log');
  const cluster = testCluster(o, dir, apiserver, Date.now() - started);
  return { cluster, apiserver, auditLogPath, controllerManagerMs, stop };
}

async function createClusterApiserver(
  o: LocalClusterOptions,
  dir: string,
  etcd: Etcd,
  clientCaPath: string,
): Promise<Apiserver> {
  const auditPolicyPath = join(dir, 'audit-policy.yaml');
  await writeAuditPolicy(auditPolicyPath);
  return createApiserver({
    cluster: o.name,
    binDir: o.binDir,
    dir,
    port: await freePort(),
    etcdUrl: etcd.clientUrl,
    tokenFile: o.tokenFile,
    clientCaPath,
    serviceAccount: writeServiceAccountKeys(dir),
    auditPolicyPath,
    auditLogPath: join(dir, 'audit.log'),
    adminToken: o.adminToken,
  });
}

function testCluster(o: LocalClusterOptions, dir: string, apiserver: Apiserver, startupMs: number): TestCluster {
  return {
    name: o.name,
    server: apiserver.server,
    caData: apiserver.caPem().toString('base64'),
    startupMs,
    stopApiserver: () => apiserver.stop(),
    freezeApiserver: async () => apiserver.signal('SIGSTOP'),
    thawApiserver: async () => apiserver.signal('SIGCONT'),
    startApiserver: async () => {
      try {
        await apiserver.start({ timeoutMs: o.readyTimeoutMs });
      } catch (err) {
        await apiserver.stop();
        throw startError(o.name, dir, err);
      }
    },
  };
}

function startError(cluster: string, dir: string, cause: unknown): ControlPlaneStartError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const logs = ['kube-controller-manager.log', 'kube-apiserver.log', 'etcd.log'].map(
    (f) => `--- ${join(dir, f)} (last 40 lines) ---\n${tailFile(join(dir, f), 40)}`,
  );
  return new ControlPlaneStartError(cluster, `did not start: ${reason}\n${logs.join('\n')}`, { cause, data: { dir } });
}

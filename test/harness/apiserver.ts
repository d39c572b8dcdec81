/**
 * One kube-apiserver process for one test cluster. Its port and cert folder are fixed when it is created, so
 * stop() and start() again keep the same server URL and CA, and the kubeconfig stays valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiRequest, type Endpoint } from './http.js';
import { pollUntil } from './poll.js';
import { spawnManaged, type ManagedProcess } from './process.js';

export interface ApiserverConfig {
  cluster: string;
  binDir: string;
  /** The cluster's temp folder: certs/, logs and the files below live here. */
  dir: string;
  port: number;
  etcdUrl: string;
  tokenFile: string;
  /** Client certificates signed by this CA (the cluster-signing CA) authenticate, CN = user, O = groups. */
  clientCaPath: string;
  serviceAccount: { privateKeyPath: string; publicKeyPath: string };
  auditPolicyPath: string;
  auditLogPath: string;
  adminToken: string;
}

export interface Apiserver {
  readonly server: string;
  readonly logPath: string;
  /** The serving certificate bundle's file; exists once the apiserver has started. */
  readonly caPath: string;
  /** PEM of the self-signed serving cert bundle (cert + its CA); exists once the apiserver has started. */
  caPem(): Buffer;
  running(): boolean;
  start(opts: { timeoutMs: number }): Promise<void>;
  stop(): Promise<void>;
  /** Sends a signal to the running process (SIGSTOP / SIGCONT for fault tests). */
  signal(name: NodeJS.Signals): void;
}

export function createApiserver(config: ApiserverConfig): Apiserver {
  const server = `https://127.0.0.1:${config.port}`;
  const caPath = join(config.dir, 'certs', 'apiserver.crt');
  const logPath = join(config.dir, 'kube-apiserver.log');
  let current: ManagedProcess | undefined;

  const admin = (): Endpoint => ({
    cluster: config.cluster,
    server,
    ca: readFileSync(caPath),
    token: config.adminToken,
  });
  const start = async (opts: { timeoutMs: number }): Promise<void> => {
    if (current?.running()) return;
    const bin = join(config.binDir, 'kube-apiserver');
    current = spawnManaged({ name: 'kube-apiserver', bin, args: apiserverArgs(config), logPath, cwd: config.dir });
    await waitForApiserver(current, { caPath, admin, timeoutMs: opts.timeoutMs });
  };
  const stop = async (): Promise<void> => {
    await current?.stop();
  };
  return {
    server,
    logPath,
    caPath,
    caPem: () => readFileSync(caPath),
    running: () => current?.running() ?? false,
    start,
    stop,
    signal: (name) => {
      if (!current?.running()) throw new Error(`kube-apiserver of ${config.cluster} is not running`);
      process.kill(current.pid, name);
    },
  };
}

function apiserverArgs(c: ApiserverConfig): string[] {
  return [
    `--etcd-servers=${c.etcdUrl}`,
    '--bind-address=127.0.0.1', // no --advertise-address: a loopback one is rejected; it defaults sensibly
    `--secure-port=${c.port}`,
    `--cert-dir=${join(c.dir, 'certs')}`,
    '--authorization-mode=RBAC',
    `--token-auth-file=${c.tokenFile}`,
    `--client-ca-file=${c.clientCaPath}`,
    `--service-account-key-file=${c.serviceAccount.publicKeyPath}`,
    `--service-account-signing-key-file=${c.serviceAccount.privateKeyPath}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--disable-admission-plugins=ServiceAccount', // no controller-manager creates default service accounts
    '--endpoint-reconciler-type=none', // there are no nodes to publish the kubernetes Service endpoints on
    `--audit-policy-file=${c.auditPolicyPath}`,
    `--audit-log-path=${c.auditLogPath}`,
    '--audit-log-maxsize=0', // never rotate: tests read one file
    '--profiling=false',
  ];
}

/**
 * Ready means: /readyz says ok to the admin (anonymous probes get 403 until the RBAC bootstrap is done), then the
 * `default` namespace exists, which the apiserver creates itself once its bootstrap controllers have run.
 */
async function waitForApiserver(
  p: ManagedProcess,
  o: { caPath: string; admin: () => Endpoint; timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  const probe = (path: string) => async (): Promise<true | string> => {
    if (!existsSync(o.caPath)) return 'no serving certificate yet';
    const res = await apiRequest(o.admin(), 'GET', path, undefined, { timeoutMs: 5000 });
    return res.status === 200 ? true : `${path} answered ${res.status}`;
  };
  await pollUntil({ what: 'kube-apiserver /readyz', timeoutMs: o.timeoutMs, process: p, probe: probe('/readyz') });
  const left = Math.max(deadline - Date.now(), 1000);
  await pollUntil({
    what: 'namespace default',
    timeoutMs: left,
    process: p,
    probe: probe('/api/v1/namespaces/default'),
  });
}

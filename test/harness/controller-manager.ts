/**
 * One kube-controller-manager per test cluster, running only the controllers that make a test cluster behave like a
 * real one for what Roster touches: CertificateSigningRequests get signed by the cluster-signing CA (`csrsigning`)
 * and cleaned up (`csrcleaner`), and the bootstrap `view` / `edit` / `admin` ClusterRoles get their aggregated rules
 * (`clusterrole-aggregation`). No `csrapproving`: it only approves kubelet requests, and Roster approves its own.
 * It keeps running while a fault test stops and restarts the apiserver, reconnecting on its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { apiRequest, type Endpoint } from './http.js';
import { pollUntil } from './poll.js';
import { spawnManaged, type ManagedProcess } from './process.js';

export const CONTROLLERS = ['csrsigning', 'csrcleaner', 'clusterrole-aggregation'] as const;

export interface ControllerManagerConfig {
  binDir: string;
  dir: string;
  /** The apiserver it talks to, as admin; its CA file must exist (the apiserver has started). */
  server: string;
  caPath: string;
  adminToken: string;
  signingCa: { certPath: string; keyPath: string };
}

export async function startControllerManager(
  config: ControllerManagerConfig,
  admin: () => Endpoint,
  timeoutMs: number,
): Promise<ManagedProcess> {
  const kubeconfigPath = join(config.dir, 'kube-controller-manager.kubeconfig');
  writeFileSync(kubeconfigPath, stringify(kubeconfigFor(config)), { mode: 0o600 });
  const p = spawnManaged({
    name: 'kube-controller-manager',
    bin: join(config.binDir, 'kube-controller-manager'),
    args: [
      `--kubeconfig=${kubeconfigPath}`,
      `--controllers=${CONTROLLERS.join(',')}`,
      `--cluster-signing-cert-file=${config.signingCa.certPath}`,
      `--cluster-signing-key-file=${config.signingCa.keyPath}`,
      '--leader-elect=false', // one instance per cluster
      '--secure-port=0', // no health endpoint needed: readiness is read from the API below
      '--profiling=false',
    ],
    logPath: join(config.dir, 'kube-controller-manager.log'),
    cwd: config.dir,
  });
  try {
    await pollUntil({ what: 'ClusterRole aggregation', timeoutMs, process: p, probe: aggregated(admin) });
  } catch (err) {
    await p.stop();
    throw err;
  }
  return p;
}

/** Ready once `view`, `edit` and `admin` all have rules: the aggregation controller has synced and run. */
function aggregated(admin: () => Endpoint): () => Promise<true | string> {
  return async () => {
    for (const role of ['view', 'edit', 'admin']) {
      const res = await apiRequest(admin(), 'GET', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`);
      if (res.status !== 200) return `ClusterRole ${role}: ${res.status}`;
      const rules = (res.body as { rules?: unknown[] | null } | undefined)?.rules ?? [];
      if (rules.length === 0) return `ClusterRole ${role} has no aggregated rules yet`;
    }
    return true;
  };
}

function kubeconfigFor(c: ControllerManagerConfig): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'admin',
    clusters: [{ name: 'local', cluster: { server: c.server, 'certificate-authority': c.caPath } }],
    users: [{ name: 'admin', user: { token: c.adminToken } }],
    contexts: [{ name: 'admin', context: { cluster: 'local', user: 'admin' } }],
  };
}

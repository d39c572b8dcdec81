/**
 * ROSTER_TEST_KUBECONFIG: run the integration tests against existing clusters instead of starting local ones.
 * Each context in ROSTER_TEST_CONTEXTS (comma separated) is one cluster, named as the context, whose user must
 * be allowed to impersonate: requests "as alice" are the admin's requests with Impersonate-User/-Group headers.
 * Supported credentials: token, client certificate (inline or file); not exec or auth-provider plugins.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ensureBinaries } from './binaries.js';
import { ExternalClusterUnsupportedError, ExternalConfigError } from './errors.js';
import { makeControlPlane } from './facade.js';
import type { Endpoint } from './http.js';
import { makeUsers } from './pki.js';
import type { ControlPlane, TestCluster, TestUser } from './types.js';

type Named<T> = { name: string } & T;
interface Kubeconfig {
  clusters?: Named<{ cluster: Record<string, string | boolean> }>[];
  users?: Named<{ user: Record<string, unknown> }>[];
  contexts?: Named<{ context: { cluster: string; user: string } }>[];
}

export async function connectExternalControlPlane(opts: {
  kubeconfigPath: string;
  contexts: string[];
  log?: (line: string) => void;
}): Promise<ControlPlane> {
  const binDir = await ensureBinaries({ log: opts.log });
  const config = readKubeconfig(opts.kubeconfigPath);
  const admins = new Map(opts.contexts.map((c) => [c, adminEndpoint(config, c)]));
  const users = makeUsers().map((u) => ({ ...u, token: '' })); // identities only: the admin impersonates them
  const clusters: TestCluster[] = opts.contexts.map((name) => externalCluster(name, admins.get(name)!));
  return makeControlPlane({
    clusters,
    users,
    kubeconfigPath: opts.kubeconfigPath,
    binDir,
    endpoint: (name, user) => ({ ...admins.get(name)!, headers: impersonation(user) }),
    kubectlTarget: (name, user) => ({
      context: name,
      extraArgs: user.short === 'admin' ? [] : [`--as=${user.name}`, ...user.groups.map((g) => `--as-group=${g}`)],
    }),
    auditLogPath: (name) => {
      throw new ExternalClusterUnsupportedError(name, 'reading the audit log');
    },
    stop: async () => {},
  });
}

function externalCluster(name: string, ep: Endpoint): TestCluster {
  return {
    name,
    server: ep.server,
    caData: ep.ca?.toString('base64') ?? '',
    startupMs: 0,
    stopApiserver: () => Promise.reject(new ExternalClusterUnsupportedError(name, 'stopping the apiserver')),
    startApiserver: () => Promise.reject(new ExternalClusterUnsupportedError(name, 'starting the apiserver')),
    freezeApiserver: () => Promise.reject(new ExternalClusterUnsupportedError(name, 'freezing the apiserver')),
    thawApiserver: () => Promise.reject(new ExternalClusterUnsupportedError(name, 'thawing the apiserver')),
  };
}

function impersonation(user: TestUser): Record<string, string | string[]> {
  if (user.short === 'admin') return {};
  return user.groups.length > 0
    ? { 'Impersonate-User': user.name, 'Impersonate-Group': user.groups }
    : { 'Impersonate-User': user.name };
}

function readKubeconfig(path: string): Kubeconfig {
  try {
    return parse(readFileSync(path, 'utf8')) as Kubeconfig;
  } catch (err) {
    throw new ExternalConfigError(
      `ROSTER_TEST_KUBECONFIG=${path}: cannot read it as a kubeconfig: ${(err as Error).message}`,
      { path },
    );
  }
}

function adminEndpoint(config: Kubeconfig, contextName: string): Endpoint {
  const context = config.contexts?.find((c) => c.name === contextName)?.context;
  const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users?.find((u) => u.name === context?.user)?.user ?? {};
  if (!context || !cluster)
    throw new ExternalConfigError(
      `context ${contextName}: not found in ROSTER_TEST_KUBECONFIG (or its cluster is missing)`,
    );
  if (user.exec || user['auth-provider'])
    throw new ExternalConfigError(
      `context ${contextName}: exec and auth-provider credentials are not supported; use a token or client certificate`,
    );
  return {
    cluster: contextName,
    server: String(cluster.server),
    ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    token: typeof user.token === 'string' ? user.token : undefined,
    cert: pem(user['client-certificate-data'], user['client-certificate']),
    key: pem(user['client-key-data'], user['client-key']),
  };
}

/** Inline base64 data wins over a file path, as in kubectl. */
function pem(data: unknown, file: unknown): Buffer | undefined {
  if (typeof data === 'string') return Buffer.from(data, 'base64');
  if (typeof file === 'string') return readFileSync(file);
  return undefined;
}

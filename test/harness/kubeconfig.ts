/**
 * The one kubeconfig of a control-plane run (mode 0600): a context per cluster named exactly as the cluster
 * (admin), and `<short>@<cluster>` per test user, e.g. `alice@east`. Each cluster's self-signed serving
 * certificate is trusted as its CA; nothing skips TLS verification.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { TestUser } from './pki.js';

export interface KubeconfigCluster {
  name: string;
  server: string;
  /** base64 of the PEM bundle. */
  caData: string;
}

/** The context for `cluster` as `user` (a short name); admin uses the bare cluster name. */
export function contextName(cluster: string, user = 'admin'): string {
  return user === 'admin' ? cluster : `${user}@${cluster}`;
}

export function writeKubeconfig(path: string, clusters: KubeconfigCluster[], users: TestUser[]): void {
  const contexts = clusters.flatMap((c) =>
    users.map((u) => ({ name: contextName(c.name, u.short), context: { cluster: c.name, user: u.short } })),
  );
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': clusters[0]?.name ?? '',
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: { server: c.server, 'certificate-authority-data': c.caData },
    })),
    users: users.map((u) => ({ name: u.short, user: { token: u.token } })),
    contexts,
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600); // also when the file already existed with wider permissions
}

/** Preparing the benchmark clusters and the inputs of the peer tools. */

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { ownershipSelector } from '../../src/resources/labels.js';
import type { ControlPlane } from '../../test/harness/index.js';
import { INSTANCE, NAMESPACES, namespaceName } from './repo.js';

export async function createNamespaces(cp: ControlPlane, cluster: string): Promise<void> {
  for (let i = 0; i < NAMESPACES; i++) {
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName(i) } };
    await cp.request(cluster, 'POST', '/api/v1/namespaces', body);
  }
}

/** Removes every object of the instance (one DELETE collection per namespace), so each tool starts empty. */
export async function reset(cp: ControlPlane, cluster: string): Promise<void> {
  const selector = encodeURIComponent(ownershipSelector(INSTANCE));
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  for (let i = 0; i < NAMESPACES; i++)
    await cp.request(
      cluster,
      'DELETE',
      `${rbac}/namespaces/${namespaceName(i)}/rolebindings?labelSelector=${selector}`,
    );
  await cp.request(cluster, 'DELETE', `${rbac}/clusterroles?labelSelector=${selector}`);
}

/** `roster build` of the repository: the manifests Flux's engine and kubectl apply. */
export async function buildManifests(repo: string, file: string): Promise<string> {
  let out = '';
  const io = { out: (t: string) => void (out += t), err: () => {}, color: false };
  const code = await run(['build', '--repo', repo], io);
  if (code !== 0) throw new Error(`roster build exited ${code}`);
  writeFileSync(file, out);
  return file;
}

/** bench/fluxssa/build.sh: builds (or finds in Go's build cache) Flux's engine comparator; returns its path. */
export function buildFlux(log: (line: string) => void): string {
  const script = join(import.meta.dirname, '..', '..', '..', 'bench', 'fluxssa', 'build.sh');
  log("go build (cheap when Go's build cache has it)");
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

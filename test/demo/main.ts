/**
 * `npm start`: the main job on the bundled example. Starts one real local control plane per cluster declared in
 * examples/acme (contexts named to match), applies the example with Roster, prints the result and the access
 * tree, proves a grant with a real request, and explains how to look around with the built kubectl.
 */
import { join } from 'node:path';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { startControlPlane, type ControlPlane } from '../harness/index.js';
import { repoRoot } from '../support/paths.js';

const CLUSTERS = ['prod-eu', 'prod-us', 'staging-eu'];
/** Application namespaces a platform team would already have; Roster binds into them, it does not create them. */
const NAMESPACES: Record<string, string[]> = {
  'prod-eu': ['payments', 'payments-api', 'checkout', 'monitoring', 'platform-infra', 'data-lake'],
  'prod-us': ['payments', 'payments-api', 'checkout', 'monitoring', 'platform-infra'],
  'staging-eu': ['payments', 'payments-api', 'payments-worker', 'checkout', 'monitoring', 'data-lake', 'data-etl'],
};
const REPO = join(repoRoot, 'examples', 'acme');

const io: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  color: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
};

async function main(): Promise<void> {
  step(`starting ${CLUSTERS.length} local Kubernetes control planes (etcd + kube-apiserver)…`);
  const cp = await startControlPlane({ names: CLUSTERS, log: (line) => io.err(`  ${line}\n`) });
  const stop = once(() => cp.stop());
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    for (const c of cp.clusters) io.out(`  ${c.name}: ${c.server} ready in ${(c.startupMs / 1000).toFixed(1)} s\n`);
    await createNamespaces(cp);
    const roster = (args: string[]) => run([...args, '--repo', REPO, '--kubeconfig', cp.kubeconfigPath], io);

    step('roster apply --repo examples/acme');
    const applied = await roster(['apply']);
    step('roster plan (a second look: nothing should be left to do)');
    const planned = await roster(['plan']);
    step('who has what: alice@example.com (group payments-eng) on every cluster, read live from the clusters');
    await roster(['access', '--live', '--user', 'alice@example.com', '--group', 'payments-eng', '--no-rules']);
    step('who has what: everyone in namespace payments on prod-eu, live (bindings Roster does not manage are marked)');
    await roster(['access', '--live', '--namespace', 'payments', '--cluster', 'prod-eu', '--no-rules']);
    await proveAccess(cp);
    explain(cp);
    if (applied !== 0 || planned !== 0)
      throw new Error(`apply exited ${applied}, plan exited ${planned}; expected 0 and 0`);
    if (process.stdin.isTTY) {
      io.out('\nThe clusters keep running until you press Ctrl-C.\n');
      await new Promise<void>(() => undefined);
    }
  } finally {
    await stop();
  }
}

async function createNamespaces(cp: ControlPlane): Promise<void> {
  for (const [cluster, names] of Object.entries(NAMESPACES)) {
    for (const name of names) {
      const res = await cp.request(cluster, 'POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      });
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`creating namespace ${name} on ${cluster}: HTTP ${res.status}`);
    }
  }
  io.out(
    `  created the application namespaces ` +
      `(${Object.values(NAMESPACES).flat().length} across ${CLUSTERS.length} clusters)\n`,
  );
}

/** alice@example.com is in team payments: viewer in payments on prod, editor on staging. */
async function proveAccess(cp: ControlPlane): Promise<void> {
  step('real requests as alice@example.com (team payments)');
  const cases: [string, string, string][] = [
    ['prod-eu', 'GET', '/api/v1/namespaces/payments/pods'],
    ['prod-eu', 'POST', '/api/v1/namespaces/payments/configmaps'],
    ['staging-eu', 'POST', '/api/v1/namespaces/payments/configmaps'],
    ['prod-eu', 'GET', '/api/v1/namespaces/checkout/pods'],
  ];
  for (const [cluster, method, path] of cases) {
    const body =
      method === 'POST' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'demo-' } } : undefined;
    const res = await cp.request(cluster, method, path, body, { as: 'alice' });
    const verdict = res.status < 300 ? 'allowed' : res.status === 403 ? 'denied ' : `HTTP ${res.status}`;
    io.out(`  ${verdict}  ${cluster.padEnd(10)} ${method.padEnd(4)} ${path}\n`);
  }
}

function explain(cp: ControlPlane): void {
  const kubectl = join(cp.binDir, 'kubectl');
  step(
    process.stdin.isTTY
      ? 'look around (the clusters run until you press Ctrl-C)'
      : 'look around (run `npm start` in a terminal to keep the clusters up; they stop when it exits)',
  );
  io.out(
    [
      `  export KUBECONFIG=${cp.kubeconfigPath}`,
      `  ${kubectl} --context prod-eu get clusterroles,rolebindings,clusterrolebindings -A -l ` +
        `app.kubernetes.io/managed-by=roster`,
      `  ${kubectl} --context alice@prod-eu auth can-i --list -n payments`,
      `  node dist/src/cli/bin.js drift --repo examples/acme --kubeconfig $KUBECONFIG`,
      `  node dist/src/cli/bin.js plan --offline --repo examples/acme     # the whole access tree, from Git alone`,
      '',
    ].join('\n'),
  );
}

function step(text: string): void {
  io.out(`\n==> ${text}\n`);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

main().catch((err: unknown) => {
  io.err(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

/**
 * Mocha global fixtures: ONE control plane (clusters `east` and `west`) for the whole integration run. Tests
 * share it and isolate themselves by namespace (and by unique names for cluster-scoped objects).
 *
 * ROSTER_TEST_KUBECONFIG=<file> runs against existing clusters instead: the contexts listed in
 * ROSTER_TEST_CONTEXTS (comma separated, default "east,west") become the clusters. See docs/test-clusters.md.
 */
import { connectExternalControlPlane, startControlPlane, type ControlPlane } from '../harness/index.js';

export const CLUSTER_NAMES = ['east', 'west'] as const;

let shared: ControlPlane | undefined;

/** The run's control plane; only valid inside tests (after the global setup). */
export function controlPlane(): ControlPlane {
  if (!shared)
    throw new Error(
      'controlPlane(): no control plane; run integration tests with .mocharc.integration.json (it loads fixtures.js)',
    );
  return shared;
}

export async function mochaGlobalSetup(): Promise<void> {
  const log = (line: string): void => console.log(`  [control plane] ${line}`);
  const external = process.env.ROSTER_TEST_KUBECONFIG;
  if (external) {
    const contexts = (process.env.ROSTER_TEST_CONTEXTS ?? CLUSTER_NAMES.join(','))
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    log(`using existing clusters ${contexts.join(', ')} from ROSTER_TEST_KUBECONFIG`);
    shared = await connectExternalControlPlane({ kubeconfigPath: external, contexts, log });
    return;
  }
  const started = Date.now();
  shared = await startControlPlane({ names: [...CLUSTER_NAMES], log });
  log(`${shared.clusters.length} clusters ready in ${Date.now() - started} ms (kubeconfig ${shared.kubeconfigPath})`);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await shared?.stop();
  shared = undefined;
}

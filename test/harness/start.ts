/**
 * Start test clusters by hand, for debugging or poking around with kubectl:
 *   npx tsc -p . && node dist/test/harness/start.js [name ...]     (default: east west)
 * Prints the kubeconfig and its contexts, then runs until Ctrl-C, which stops everything.
 */
import { startControlPlane } from './local.js';

const names = process.argv.slice(2);
const cp = await startControlPlane({ names: names.length > 0 ? names : undefined, log: (line) => console.error(line) });
console.log(`\nexport KUBECONFIG=${cp.kubeconfigPath}`);
for (const c of cp.clusters) {
  const contexts = cp.users.map((u) => (u.short === 'admin' ? c.name : `${u.short}@${c.name}`));
  console.log(`cluster ${c.name}: ${c.server} (started in ${c.startupMs} ms); contexts: ${contexts.join(', ')}`);
}
console.log(`kubectl: ${cp.binDir}/kubectl\nCtrl-C stops the clusters and removes their files.`);
// Keep running; cleanup.ts stops the clusters on SIGINT/SIGTERM.
setInterval(() => {}, 1 << 30);

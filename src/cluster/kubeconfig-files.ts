/**
 * The kubeconfig a command reads may be several files: KUBECONFIG lists them, and client-node merges them in order.
 * Each is checked on its own first (an error names the bad file, not the whole list), then they are merged as
 * client-node merges them, so the context checks see what client-node will: a name defined in two files is refused
 * (client-node throws on it, where kubectl would take the first), and the last current-context wins.
 */

import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { KubeconfigError } from './errors.js';
import { FILE_FIELDS, inspectKubeconfig, type KubeconfigFacts } from './kubeconfig-check.js';
import { kubeconfigFiles } from './kubeconfig-plain.js';

/**
 * Checks every file a command will read (`--kubeconfig`, else each file KUBECONFIG lists, else ~/.kube/config when
 * it exists): exit 2 naming the bad file, before any request. Nothing to check when there is no file: client-node
 * falls back to the in-cluster config.
 */
export function checkKubeconfig(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const files = kubeconfigFiles(explicit, env);
  if (files.length > 0) inspectKubeconfigs(files);
}

/** One file as `inspectKubeconfig` sees it; several checked one by one, then merged. */
export function inspectKubeconfigs(files: readonly string[]): KubeconfigFacts {
  if (files.length === 1) return inspectKubeconfig(files[0]!);
  return mergeFacts(files.map((file) => inspectKubeconfig(file, { inList: true })));
}

const LISTS = { clusters: 'cluster', contexts: 'context', users: 'user' } as const;

function mergeFacts(each: readonly KubeconfigFacts[]): KubeconfigFacts {
  const config: Record<string, unknown> = {};
  const definedIn = new Map<string, string>();
  for (const facts of each) {
    for (const [list, body] of Object.entries(LISTS)) {
      const entries = (facts.config[list] ?? []) as Array<Record<string, unknown>>;
      for (const entry of entries) {
        const key = `${body} ${JSON.stringify(entry.name)}`;
        const earlier = definedIn.get(key);
        if (earlier !== undefined)
          throw new KubeconfigError(
            facts.file,
            `defines ${key}, which ${earlier} before it in KUBECONFIG defines too`,
            {
              hint: 'client-node cannot merge a name defined twice; rename one or drop a file from KUBECONFIG',
            },
          );
        definedIn.set(key, facts.file);
        const merged = (config[list] ??= []) as unknown[];
        merged.push(absolutePaths(entry, body, dirname(facts.file)));
      }
    }
  }
  const current = each.map((f) => f.currentContext).filter((c) => c !== undefined);
  const contexts = each.flatMap((f) => f.contexts);
  const file = `${each.map((f) => f.file).join(delimiter)} (KUBECONFIG)`;
  const facts: KubeconfigFacts = { file, contexts, config };
  if (current.length > 0) facts.currentContext = current[current.length - 1]!;
  return facts;
}

/** File paths in `entry` made absolute (against `root`, its kubeconfig's folder) before merging. */
function absolutePaths(
  entry: Record<string, unknown>,
  body: keyof typeof FILE_FIELDS,
  root: string,
): Record<string, unknown> {
  const inner = entry[body];
  if (typeof inner !== 'object' || inner === null) return entry;
  const copy = { ...(inner as Record<string, unknown>) };
  for (const field of FILE_FIELDS[body]) {
    const named = copy[field];
    if (typeof named === 'string' && named.length > 0 && !isAbsolute(named)) copy[field] = join(root, named);
  }
  return { ...entry, [body]: copy };
}

/** Choosing which declared clusters a command (or `roster serve`) works on: --cluster NAME or -l key=value,... */
import { UsageError } from '../errors.js';
import type { Cluster, Model } from '../model/types.js';
import { matchesLabels } from '../model/patterns.js';

export interface ClusterFlags {
  cluster?: string;
  selector?: string;
}

export function selectClusters(model: Model, flags: ClusterFlags): Cluster[] {
  if (flags.cluster !== undefined && flags.selector !== undefined) {
    throw new UsageError('give either --cluster or --selector, not both');
  }
  if (flags.cluster !== undefined) {
    const found = model.clusters.find((c) => c.name === flags.cluster);
    if (!found) {
      const known = model.clusters.map((c) => c.name).join(', ');
      throw new UsageError(`unknown cluster "${flags.cluster}"; the config declares: ${known}`);
    }
    return [found];
  }
  if (flags.selector !== undefined) {
    const wanted = parseSelector(flags.selector);
    return model.clusters.filter((c) => matchesLabels(c.labels, wanted));
  }
  return [...model.clusters];
}

function parseSelector(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=!\s]+)==?([^=\s]*)$/.exec(part);
    if (!match) throw new UsageError(`bad selector "${part}": use key=value pairs separated by commas`);
    labels[match[1]!] = match[2]!;
  }
  return labels;
}

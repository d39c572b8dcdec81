/**
 * What grant, revoke and request read from the command line besides the subject: the cluster choice, and the role and
 * cluster names checked against the repository before any edit, so a typo gets one message that names the known
 * names (not a validator error in a file that was never written).
 */

import { EditError } from '../edit/errors.js';
import type { ClusterChoice } from '../edit/types.js';
import { UsageError } from '../errors.js';
import { BUILTIN_ROLE_NAMES } from '../model/builtins-names.js';
import type { Model } from '../model/types.js';
import { didYouMean } from '../validate/suggest.js';

export function clusterChoice(flags: { clusters?: string; selector?: string }): ClusterChoice | undefined {
  if (flags.clusters !== undefined && flags.selector !== undefined)
    throw new UsageError('give --clusters or --selector, not both');
  if (flags.clusters !== undefined) {
    const names = flags.clusters
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    if (names.length === 0)
      throw new EditError('invalid-request', '--clusters: name at least one cluster, e.g. --clusters prod-eu,prod-us');
    return { names };
  }
  if (flags.selector === undefined) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const part of flags.selector
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([^=!\s]+)==?([^=\s]*)$/.exec(part);
    if (!match)
      throw new EditError(
        'invalid-request',
        `--selector ${JSON.stringify(part)}: not a label; use key=value pairs separated by commas, e.g. -l env=prod`,
      );
    matchLabels[match[1]!] = match[2]!;
  }
  if (Object.keys(matchLabels).length === 0)
    throw new EditError('invalid-request', '--selector: give at least one key=value, e.g. -l env=prod');
  return { matchLabels };
}

/** A built-in role or a Role the repository defines. */
export function requireKnownRole(model: Model, role: string): void {
  const custom = model.roles.map((r) => r.name);
  if ((BUILTIN_ROLE_NAMES as readonly string[]).includes(role) || custom.includes(role)) return;
  const known = [...BUILTIN_ROLE_NAMES, ...custom];
  const defined = custom.length > 0 ? `; the repository defines ${custom.sort().join(', ')}` : '';
  throw new EditError(
    'invalid-request',
    `unknown role ${JSON.stringify(role)}${didYouMean(role, known)}: built-in roles are ` +
      `${BUILTIN_ROLE_NAMES.join(', ')}${defined}; or define a Role named ${JSON.stringify(role)} first`,
    { role },
  );
}

/** Every cluster named with --clusters exists, and labels given with -l select at least one cluster. */
export function requireKnownClusters(model: Model, choice: ClusterChoice | undefined): void {
  const names = model.clusters.map((c) => c.name);
  const known = `known clusters: ${names.join(', ') || 'none'}`;
  if (choice && 'names' in choice) {
    const unknown = choice.names.filter((n) => !names.includes(n));
    const named = unknown.map((n) => `${JSON.stringify(n)}${didYouMean(n, names)}`).join(', ');
    if (unknown.length > 0)
      throw new EditError('invalid-request', `--clusters: unknown cluster ${named}; ${known}`, { clusters: unknown });
  }
  if (choice && 'matchLabels' in choice) {
    const wanted = Object.entries(choice.matchLabels);
    if (!model.clusters.some((c) => wanted.every(([k, v]) => c.labels[k] === v)))
      throw new EditError(
        'invalid-request',
        `--selector ${wanted.map(([k, v]) => `${k}=${v}`).join(',')}: no cluster has these labels; ${known} ` +
          `(labels: ${model.clusters.map((c) => `${c.name} {${labelText(c.labels)}}`).join(', ')})`,
      );
  }
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

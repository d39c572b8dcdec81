/**
 * Symbolic links among the config files. Loading never follows one and ignores it with a warning; once the
 * repository delegates paths, a link is an error naming the delegations on either side of it, since a link would
 * carry a file past the review and the limits its path has.
 */

import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument, SourceFile } from '../load/types.js';
import { delegationsCovering } from '../model/delegations.js';

/** A Delegation as its (possibly invalid) document says, for messages about files no document came from. */
interface DeclaredDelegation {
  name: string;
  paths: string[];
  ceiling: string[];
  namespaces: string[];
}

function declaredDelegations(docs: readonly LoadedDocument[]): DeclaredDelegation[] {
  const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  return docs.flatMap((doc) => {
    const v = doc.value as { kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> } | null;
    const name = v?.metadata?.name;
    if (v?.kind !== 'Delegation' || typeof name !== 'string') return [];
    const spec = v.spec ?? {};
    return [{ name, paths: strings(spec.paths), ceiling: strings(spec.ceiling), namespaces: strings(spec.namespaces) }];
  });
}

/**
 * Loading ignores every symbolic link (with a warning). Once the repository delegates paths, a link is an error
 * that names the delegations on either side of it: the one whose path holds the link, and the one (or the platform)
 * whose file it points at; a link could otherwise carry a file past the review and the limits its path has.
 */
export function describeLinks(
  diagnostics: readonly Diagnostic[],
  docs: readonly LoadedDocument[],
  files: readonly SourceFile[],
): Diagnostic[] {
  const delegations = declaredDelegations(docs);
  if (delegations.length === 0) return [...diagnostics];
  const limits = (d: DeclaredDelegation) =>
    `Delegation ${d.name} (ceiling ${d.ceiling.join(', ')}; namespaces ${d.namespaces.join(', ')})`;
  const owner = (path: string) => delegationsCovering(path, delegations)[0];
  return diagnostics.map((d) => {
    if (d.code !== 'symlink') return d;
    const file = files.find((f) => f.path === d.file);
    const link = file && 'link' in file ? file.link : undefined;
    if (link === undefined) return d;
    const target = posix.isAbsolute(link) ? link : posix.normalize(posix.join(posix.dirname(d.file), link));
    const inside = !target.startsWith('../') && !posix.isAbsolute(target);
    const [from, to] = [owner(d.file), inside ? owner(target) : undefined];
    const here = from ? `in a path delegated by ${limits(from)}` : 'in a platform path';
    const there = !inside ? 'outside the repository' : to ? `delegated by ${limits(to)}` : 'a platform file';
    return {
      ...d,
      severity: 'error',
      message: `${d.message}: the link sits ${here} and points at ${target}, ${there}`,
    };
  });
}

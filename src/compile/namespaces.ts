/**
 * Namespace targets of a grant on one cluster. Literal names bind where the namespace exists; glob patterns
 * (`*`, `?`) expand against the namespace names read from the cluster, or stay unexpanded offline.
 */

import { globToRegExp, isPattern } from '../model/patterns.js';
import type { Settings } from '../model/types.js';

/** What the compiler knows about a cluster's namespaces, indexed for fast pattern expansion. */
export interface NamespaceIndex {
  /** Sorted names, undefined offline. */
  sorted?: readonly string[];
  known?: ReadonlySet<string>;
  isProtected: (namespace: string) => boolean;
  tokenNamespace: string;
  /** Compiled patterns, owned by one compile() call so it keeps no state between calls. */
  patterns: Map<string, RegExp>;
}

/** `patterns` may be shared between the clusters of one compile run: a pattern compiles once. */
export function namespaceIndex(
  namespaces: string[] | undefined,
  settings: Settings,
  patterns = new Map<string, RegExp>(),
): NamespaceIndex {
  const protectedMatchers = settings.protectedNamespaces.map((p) => (isPattern(p) ? globToRegExp(p) : p));
  // The delegation namespace holds identities that can bind roles: no grant may reach it.
  const delegationNs = settings.delegationNamespace;
  // Asked once per grant and namespace (5,000 times for 1,000 teams), of a few hundred names at most: remembered.
  const verdicts = new Map<string, boolean>();
  const isProtected = (ns: string): boolean => {
    let verdict = verdicts.get(ns);
    if (verdict === undefined) {
      verdict = ns === delegationNs || protectedMatchers.some((m) => (typeof m === 'string' ? m === ns : m.test(ns)));
      verdicts.set(ns, verdict);
    }
    return verdict;
  };
  const base = { isProtected, tokenNamespace: settings.tokenNamespace, patterns };
  if (namespaces === undefined) return base;
  const sorted = isSortedUnique(namespaces) ? namespaces : [...new Set(namespaces)].sort();
  return { ...base, sorted, known: new Set(sorted) };
}

/** Facts usually arrive sorted (the cluster reader sorts them): then skip the copy and the sort. */
function isSortedUnique(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]! < list[i]!)) return false;
  return true;
}

export interface NamespaceTargets {
  /** Namespaces to bind in, sorted, de-duplicated. */
  namespaces: string[];
  missing: string[];
  protectedHits: string[];
  /** Patterns that could not be expanded (offline). */
  unexpanded: string[];
}

export function expandNamespaces(entries: readonly string[], index: NamespaceIndex): NamespaceTargets {
  const out = new Set<string>();
  const targets: NamespaceTargets = { namespaces: [], missing: [], protectedHits: [], unexpanded: [] };
  for (const entry of entries) {
    if (!isPattern(entry)) addLiteral(entry, index, out, targets);
    else if (index.sorted === undefined) targets.unexpanded.push(entry);
    else
      for (const ns of matchPattern(entry, index.sorted, index.patterns)) if (isPatternTarget(ns, index)) out.add(ns);
  }
  targets.namespaces = [...out].sort();
  return targets;
}

function addLiteral(ns: string, index: NamespaceIndex, out: Set<string>, targets: NamespaceTargets): void {
  if (index.isProtected(ns)) targets.protectedHits.push(ns);
  else if (index.known && !index.known.has(ns) && ns !== index.tokenNamespace) targets.missing.push(ns);
  else out.add(ns);
}

/**
 * Patterns never reach protected namespaces, nor the token namespace: a broad `*` grant must not hand a team the
 * secrets of every access token's ServiceAccount. Naming the token namespace literally is an explicit choice and
 * is honoured; a protected namespace is skipped even when named.
 */
function isPatternTarget(ns: string, index: NamespaceIndex): boolean {
  return !index.isProtected(ns) && ns !== index.tokenNamespace;
}

/** Matching names from a sorted list; the literal prefix before the first wildcard narrows it by binary search. */
export function matchPattern(pattern: string, sorted: readonly string[], cache = new Map<string, RegExp>()): string[] {
  const wildcard = pattern.search(/[*?]/);
  const prefix = pattern.slice(0, wildcard);
  // `prefix*`, the common case, needs no regular expression: the prefix range is the answer.
  const regexp = wildcard === pattern.length - 1 && pattern.endsWith('*') ? undefined : compiled(pattern, cache);
  const matches: string[] = [];
  for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
    if (!regexp || regexp.test(sorted[i]!)) matches.push(sorted[i]!);
  }
  return matches;
}

function compiled(pattern: string, cache: Map<string, RegExp>): RegExp {
  let regexp = cache.get(pattern);
  if (!regexp) cache.set(pattern, (regexp = globToRegExp(pattern)));
  return regexp;
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

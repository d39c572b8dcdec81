/**
 * Namespace targets of a grant on one cluster. Literal names bind where the namespace exists; glob patterns
 * (`*`, `?`) expand against the namespace names read from the cluster, or stay unexpanded offline.
 */

import type { Settings } from '../model/types.js';

export function isPattern(namespace: string): boolean {
  return namespace.includes('*') || namespace.includes('?');
}

export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** What the compiler knows about a cluster's namespaces, indexed for fast pattern expansion. */
export interface NamespaceIndex {
  /** Sorted names, undefined offline. */
  sorted?: string[];
  known?: ReadonlySet<string>;
  isProtected: (namespace: string) => boolean;
  tokenNamespace: string;
  /** Compiled patterns, owned by one compile() call so it keeps no state between calls. */
  patterns: Map<string, RegExp>;
}

/** `patterns` may be shared between the clusters of one compile run: a pattern compiles once. */
export function namespaceIndex(namespaces: string[] | undefined, settings: Settings, patterns = new Map<string, RegExp>()): NamespaceIndex {
  const protectedMatchers = settings.protectedNamespaces.map((p) => (isPattern(p) ? globToRegExp(p) : p));
  const isProtected = (ns: string): boolean => protectedMatchers.some((m) => (typeof m === 'string' ? m === ns : m.test(ns)));
  const base = { isProtected, tokenNamespace: settings.tokenNamespace, patterns };
  if (namespaces === undefined) return base;
  const sorted = [...new Set(namespaces)].sort();
  return { ...base, sorted, known: new Set(sorted) };
}

export interface NamespaceTargets {
  /** Namespaces to bind in, sorted, de-duplicated. */
  namespaces: string[];
  missing: string[];
  protectedHits: string[];
  /** Patterns that could not be expanded (offline). */
  unexpanded: string[];
}

export function expandNamespaces(entries: string[], index: NamespaceIndex): NamespaceTargets {
  const out = new Set<string>();
  const targets: NamespaceTargets = { namespaces: [], missing: [], protectedHits: [], unexpanded: [] };
  for (const entry of entries) {
    if (!isPattern(entry)) addLiteral(entry, index, out, targets);
    else if (index.sorted === undefined) targets.unexpanded.push(entry);
    else for (const ns of matchPattern(entry, index.sorted, index.patterns)) if (isPatternTarget(ns, index)) out.add(ns);
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
 * secrets of every access token's ServiceAccount. Naming either literally is an explicit choice and is honoured
 * (protected ones are still skipped).
 */
function isPatternTarget(ns: string, index: NamespaceIndex): boolean {
  return !index.isProtected(ns) && ns !== index.tokenNamespace;
}

/** Matching names from a sorted list; the literal prefix before the first wildcard narrows it by binary search. */
export function matchPattern(pattern: string, sorted: string[], cache = new Map<string, RegExp>()): string[] {
  let regexp = cache.get(pattern);
  if (!regexp) cache.set(pattern, (regexp = globToRegExp(pattern)));
  const prefix = pattern.slice(0, pattern.search(/[*?]/));
  const matches: string[] = [];
  for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
    if (regexp.test(sorted[i]!)) matches.push(sorted[i]!);
  }
  return matches;
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

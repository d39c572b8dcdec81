/**
 * Which delegation a config file belongs to, and what lies within a delegation's limits. Pure functions over the
 * model, shared by validation (the first enforcement), the compiler (which labels and routes delegated bindings to
 * the second, Kubernetes' own) and `roster codeowners`.
 */

import { globToRegExp, isPattern } from './patterns.js';
import type { Cluster, ClusterSelector, Delegation } from './types.js';
import { matchesLabels } from './patterns.js';

/**
 * A path glob as a RegExp: `**` any run of folders (also none), `*` any characters within one name, `?` one
 * character. A glob without wildcards names a file, or a folder and everything under it.
 */
export function pathGlobToRegExp(glob: string): RegExp {
  const trimmed = glob.replace(/\/+$/, '');
  let body = '';
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === '*' && trimmed[i + 1] === '*') {
      const slash = trimmed[i + 2] === '/';
      body += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') body += '[^/]*';
    else if (ch === '?') body += '[^/]';
    else body += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const folder = /[*?]/.test(trimmed) ? '' : '(?:/.*)?';
  return new RegExp(`^${body}${folder}$`);
}

/**
 * Where forges read CODEOWNERS: GitHub looks in .github/, the root and docs/ (the first found is used), GitLab in
 * the root, docs/ and .gitlab/. No delegation may cover one: its owners would approve who reviews everything else.
 */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

const compiled = new Map<string, RegExp>();
function matcher(glob: string): RegExp {
  let regexp = compiled.get(glob);
  if (!regexp) compiled.set(glob, (regexp = pathGlobToRegExp(glob)));
  return regexp;
}

/**
 * Whether some path matches both globs, decided from the globs (no file needs to exist): segment by segment, `**`
 * taking any number of the other's segments, and within a name `*` any run of the other's characters. A glob
 * without wildcards also covers everything under it, as if it ended in `/**`.
 */
export function globsOverlap(a: string, b: string): boolean {
  const segments = (glob: string) => {
    const parts = glob.replace(/\/+$/, '').split('/');
    return /[*?]/.test(glob) ? parts : [...parts, '**'];
  };
  return sequencesMeet(segments(a), segments(b), (x) => x === '**', namesMeet);
}

function namesMeet(a: string, b: string): boolean {
  return sequencesMeet(
    [...a],
    [...b],
    (x) => x === '*',
    (x, y) => x === '?' || y === '?' || x === y,
  );
}

/**
 * Whether two sequences of items can describe the same thing: a `star` item stands for any run (also none) of the
 * other's items, and two other items must `meet`.
 */
function sequencesMeet<T>(
  a: readonly T[],
  b: readonly T[],
  isStar: (x: T) => boolean,
  meet: (x: T, y: T) => boolean,
): boolean {
  const star = (x: T | undefined) => x !== undefined && isStar(x);
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let result: boolean;
    if (star(a[i])) result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (star(b[j])) result = go(i, j + 1) || (i < a.length && go(i + 1, j));
    else if (i === a.length || j === b.length) result = i === a.length && j === b.length;
    else result = meet(a[i]!, b[j]!) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

export function coversFile(delegation: Pick<Delegation, 'paths'>, file: string): boolean {
  return delegation.paths.some((glob) => matcher(glob).test(file));
}

/** Every delegation covering the file, in the given order (validation refuses more than one). */
export function delegationsCovering<D extends Pick<Delegation, 'paths'>>(file: string, delegations: readonly D[]): D[] {
  return delegations.filter((d) => coversFile(d, file));
}

/** The delegation a file belongs to, if any. */
export function delegationOfFile(file: string, delegations: readonly Delegation[] | undefined): Delegation | undefined {
  return delegations?.find((d) => coversFile(d, file));
}

/**
 * Whether a grant's namespace entry stays inside the delegation's namespaces. A name must be one of them or match
 * one of their patterns. A pattern must be one of them, or start with the literal prefix of a `prefix*` pattern
 * of theirs (`payments-eu-*` inside `payments-*`): anything it can match then matches theirs too.
 */
export function namespaceWithin(entry: string, delegated: readonly string[]): boolean {
  if (!isPattern(entry)) return delegated.some((d) => (isPattern(d) ? globToRegExp(d).test(entry) : d === entry));
  return delegated.some((d) => d === entry || (isPrefixPattern(d) && entry.startsWith(d.slice(0, -1))));
}

function isPrefixPattern(pattern: string): boolean {
  return pattern.endsWith('*') && !/[*?]/.test(pattern.slice(0, -1));
}

/**
 * Whether every cluster a grant's selector can reach is one the delegation's selector reaches, decided from the
 * selectors themselves (a cluster added later cannot widen a delegated grant behind the platform's back); `clusters`
 * resolves names against labels.
 */
export function selectorWithin(
  grant: ClusterSelector,
  delegated: ClusterSelector,
  clusters: readonly Pick<Cluster, 'name' | 'labels'>[],
): boolean {
  if ('all' in delegated) return true;
  if ('all' in grant) return false;
  if ('names' in delegated) return 'names' in grant && grant.names.every((n) => delegated.names.includes(n));
  const wanted = delegated.matchLabels;
  if ('matchLabels' in grant) return matchesLabels(grant.matchLabels, wanted);
  return grant.names.every((name) => {
    const cluster = clusters.find((c) => c.name === name);
    return cluster !== undefined && matchesLabels(cluster.labels, wanted);
  });
}

/** `{names: [a, b]}`, `{matchLabels: {env: prod}}` or `every cluster`, for messages. */
export function formatSelector(selector: ClusterSelector): string {
  if ('all' in selector) return 'every cluster';
  if ('names' in selector) return `clusters ${selector.names.join(', ')}`;
  return `clusters labelled ${Object.entries(selector.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}`;
}

/**
 * isomorphic-git, loaded on first use. It is ~600 kB of code with some thirty dependencies, and the common run (a
 * local commit whose objects are loose, HEAD a plain ref file) reads everything through loose.ts without it.
 */

import type IsoGit from 'isomorphic-git';
import type IsoHttp from 'isomorphic-git/http/node';

export async function isoGit(): Promise<typeof IsoGit> {
  return (await import('isomorphic-git')).default;
}

/** isomorphic-git's HTTP transport for Node (fetch and push). */
export async function isoHttp(): Promise<typeof IsoHttp> {
  return (await import('isomorphic-git/http/node')).default;
}

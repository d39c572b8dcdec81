/** Reads a config repository from a directory: every *.yaml / *.yml file, dot-folders and node_modules skipped. */

import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { RepoFile } from './types.js';

const SKIPPED_DIRS = new Set(['node_modules']);
const YAML_FILE = /\.ya?ml$/;

/** Files sorted by path, paths relative to `root` with posix separators. */
export async function readRepoDir(root: string): Promise<RepoFile[]> {
  const paths = (await listYaml(root)).sort();
  return Promise.all(
    paths.map(async (abs) => ({ path: relative(root, abs).split(sep).join('/'), text: await readFile(abs, 'utf8') })),
  );
}

async function listYaml(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e): Promise<string[]> => {
      if (e.name.startsWith('.')) return [];
      const abs = join(dir, e.name);
      if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : listYaml(abs);
      return e.isFile() && YAML_FILE.test(e.name) ? [abs] : [];
    }),
  );
  return nested.flat();
}

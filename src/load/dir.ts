/** Reads a config repository from a directory: every *.yaml / *.yml file, dot-folders and node_modules skipped. */

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RepoFile } from './types.js';

const SKIPPED_DIRS = new Set(['node_modules']);
const YAML_FILE = /\.ya?ml$/;

/**
 * Files sorted by path, paths relative to `root` with posix separators. Read synchronously on purpose: a config
 * repository is many small files, and one thread-pool round trip per open/stat/read/close cost more than the reads
 * themselves (about 40 ms against 10 ms for 1,000 team files).
 */
export async function readRepoDir(root: string): Promise<RepoFile[]> {
  const paths = listYaml(root).sort();
  return paths.map((abs) => ({ path: relative(root, abs).split(sep).join('/'), text: readFileSync(abs, 'utf8') }));
}

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e): string[] => {
    if (e.name.startsWith('.')) return [];
    const abs = join(dir, e.name);
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : listYaml(abs);
    return e.isFile() && YAML_FILE.test(e.name) ? [abs] : [];
  });
}

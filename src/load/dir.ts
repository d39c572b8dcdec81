/** Reads a config repository from a directory: the files `isConfigPath` accepts. */

import { closeSync, fstatSync, openSync, readdirSync, readlinkSync, readSync, type Dirent } from 'node:fs';
import { sep } from 'node:path';
import { compareCodeUnits } from '../compare.js';
import { InvalidConfigError } from '../errors.js';
import { LOAD_LIMITS } from './parse.js';
import type { RepoFile } from './types.js';

const YAML_FILE = /\.ya?ml$/;

/** Names config never lives under: dot-files, dot-folders and node_modules. */
function skipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * The one rule for which files of a repository are config, for a folder on disk and a Git tree alike: YAML files
 * (`*.yaml`, `*.yml`), none under a dot-folder or node_modules. `path` is relative, with `/` separators.
 */
export function isConfigPath(path: string): boolean {
  return YAML_FILE.test(path) && path.split('/').every((part) => !skipped(part));
}

/**
 * Files sorted by path, paths relative to `root` with posix separators. Read synchronously on purpose: a config
 * repository is many small files, and one thread-pool round trip per open/stat/read/close cost more than the reads
 * themselves (about 40 ms against 10 ms for 1,000 team files). Names are read as bytes, so a file whose name is not
 * UTF-8 is still read (its path shows U+FFFD, which loading refuses with a diagnostic, as for a Git tree).
 */
export function readRepoDir(root: string): Promise<RepoFile[]> {
  // Past the limits, loading reports them (parse.ts); reading more than that would only cost memory.
  return Promise.resolve().then(() =>
    listConfig(Buffer.from(root), '')
      .sort((a, b) => compareCodeUnits(a.path, b.path))
      .slice(0, LOAD_LIMITS.maxFiles + 1)
      .map(({ path, abs, link }) => {
        if (!link) return { path, text: readBounded(abs, path) };
        const target = readlinkSync(abs, 'utf8');
        return { path, text: target, link: target };
      }),
  );
}

/** The file as UTF-8 text (invalid bytes become U+FFFD, which loading refuses), at most one character over the
 * limit. A file that cannot be read (permissions) is bad input, exit 2, like any other. */
function readBounded(abs: Buffer, path: string): string {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'error';
    const message = `${path}: cannot be read (${why}); make it readable, or move it out of the repository`;
    throw new InvalidConfigError(message, { file: path });
  }
  try {
    // 4 bytes per character at most: enough bytes to go past the limit whatever the text.
    const size = Math.min(fstatSync(fd).size, 4 * (LOAD_LIMITS.maxFileChars + 1));
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Config files under `dir` (names as bytes, as the file system has them), with their paths relative to the root;
 * symbolic links among them (a `.yaml` link is listed to be refused, as Git lists it; a linked folder is not
 * entered, as Git does not).
 */
function listConfig(dir: Buffer, rel: string): Array<{ path: string; abs: Buffer; link: boolean }> {
  return entries(dir).flatMap((e) => {
    const name = e.name.toString('utf8');
    if (skipped(name)) return [];
    const abs = Buffer.concat([dir, SEP, e.name]);
    const path = rel === '' ? name : `${rel}/${name}`;
    if (e.isDirectory()) return listConfig(abs, path);
    const link = e.isSymbolicLink();
    return (e.isFile() || link) && isConfigPath(path) ? [{ path, abs, link }] : [];
  });
}

const SEP = Buffer.from(sep);

/** A folder's entries; a folder that is missing, not a folder or not readable is bad input (exit 2), naming it. */
function entries(dir: Buffer): Dirent<Buffer>[] {
  try {
    return readdirSync(dir, { withFileTypes: true, encoding: 'buffer' });
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? 'error';
    const path = dir.toString('utf8');
    throw new InvalidConfigError(`${path}: cannot be read as a folder (${why}); check the --repo path`, { path });
  }
}

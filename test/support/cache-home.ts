/**
 * Loaded by mocha (`require` in .mocharc.*.json): the run gets its own XDG_CACHE_HOME, so commands that tests run
 * in-process or as child processes keep their document cache (and remote clones) in a temp folder, removed at the
 * end, and never read or fill the cache of the user running the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'roster-test-cache-'));
process.env.XDG_CACHE_HOME = home;

export const mochaHooks = {
  afterAll(): void {
    rmSync(home, { recursive: true, force: true });
  },
};

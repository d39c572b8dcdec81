import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** The repository root, from either test/support (ts) or dist/test/support (compiled js). */
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = here.includes(`${'/'}dist${'/'}`) ? resolve(here, '../../..') : resolve(here, '../..');
export const fixturesDir = resolve(repoRoot, 'test', 'fixtures');
export const examplesDir = resolve(repoRoot, 'examples');

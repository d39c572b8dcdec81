/**
 * Golden-file assertions. `UPDATE_GOLDEN=1 npm run test:unit` rewrites the files; review the diff before committing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths.js';

export function assertGolden(relPath: string, actual: string): void {
  const file = join(repoRoot, 'test', 'golden', relPath);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden file test/golden/${relPath} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(
    actual,
    readFileSync(file, 'utf8'),
    `output differs from test/golden/${relPath} (UPDATE_GOLDEN=1 refreshes it)`,
  );
}

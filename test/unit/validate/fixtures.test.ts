/**
 * Every folder in test/fixtures/invalid is a small config repository; its `expected.txt` holds the exact
 * diagnostics `roster validate` prints. `UPDATE_GOLDEN=1` rewrites them: review the diff before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostics } from '../../../src/diagnostics.js';
import { readRepoDir } from '../../../src/load/dir.js';
import { validateRepo } from '../../../src/validate/index.js';
import { fixturesDir } from '../../support/paths.js';

const now = new Date('2026-06-01T00:00:00Z');
const invalidDir = join(fixturesDir, 'invalid');

function assertExpected(dir: string, actual: string): void {
  const file = join(dir, 'expected.txt');
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1 to create it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `diagnostics differ from ${file} (UPDATE_GOLDEN=1 refreshes it)`);
}

describe('config fixtures', () => {
  it('accepts the minimal valid repository without any diagnostic', async () => {
    const result = validateRepo(await readRepoDir(join(fixturesDir, 'valid', 'minimal')), { now });
    assert.equal(formatDiagnostics(result.diagnostics), '');
    assert.ok(result.model);
  });

  for (const name of readdirSync(invalidDir).sort()) {
    it(`reports the expected diagnostics for invalid/${name}`, async () => {
      const dir = join(invalidDir, name);
      const result = validateRepo(await readRepoDir(dir), { now });
      assert.ok(result.diagnostics.length > 0, 'an invalid fixture must produce diagnostics');
      assertExpected(dir, formatDiagnostics(result.diagnostics));
    });
  }
});

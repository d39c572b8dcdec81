/**
 * `roster usage`, `audit --evidence` and `review` given bad input the way a new user would: each answers with one
 * clear error line and exit 2 (bad input, whether a flag or a file), never a stack trace, and changes no file.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { examplesDir } from '../../support/paths.js';
import { TestRepo } from '../../support/git/repo.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function roster(args: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), color: false };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

/** examples/acme with reviews turned on, committed: a repository `review attest` can work in. */
function acmeFiles(dir: string, base = dir): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, acmeFiles(path, base));
    else files[path.slice(base.length + 1)] = readFileSync(path, 'utf8');
  }
  return files;
}

function assertRefused(res: Captured, code: number, message: RegExp): void {
  assert.equal(res.code, code, `exit code; stderr:\n${res.stderr}`);
  const errors = res.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errors.length, 1, `one error line:\n${res.stderr}`);
  assert.match(errors[0]!, message);
  assert.doesNotMatch(res.stderr, /internal error|\n\s+at /, 'no stack trace');
  assert.equal(res.stdout, '', 'no report');
}

describe('compliance commands refuse bad input clearly', () => {
  let repo: TestRepo;
  const saved = process.env.ROSTER_NOW;
  before(async () => {
    process.env.ROSTER_NOW = '2026-11-22T00:00:00Z';
    repo = await TestRepo.create('roster-compliance-input-');
    const files = acmeFiles(join(examplesDir, 'acme'));
    files['roster.yaml'] = files['roster.yaml']!.replace(
      '  expiryWarningDays: 14\n',
      '  expiryWarningDays: 14\n  review:\n    every: 90d\n    onOverdue: warn\n',
    );
    await repo.commit(files, { message: 'acme with reviews' });
  });
  after(() => {
    rmSync(repo.dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
  });

  const usage = (...args: string[]) => roster(['usage', '--repo', repo.dir, '--cluster', 'prod-eu', ...args]);

  it('usage: a missing audit log', async () => {
    assertRefused(await usage('--audit-log', join(repo.dir, 'nope.log')), 2, /nope\.log: cannot open the audit log/);
  });

  it('usage: a directory instead of a log', async () => {
    const logs = join(repo.dir, 'logs');
    mkdirSync(logs, { recursive: true });
    assertRefused(await usage('--audit-log', logs), 2, /logs: is a directory, not an audit log/);
  });

  it('usage: a file that is no audit log, with file:line', async () => {
    const file = join(repo.dir, 'app.log');
    writeFileSync(file, 'INFO starting\n');
    assertRefused(await usage('--audit-log', file), 2, /app\.log:1: not JSON, and none of the file's 1 lines/);
  });

  for (const since of ['garbage', '12', '2026-02-30', '2026-01-01T12:00:00'])
    it(`usage: --since ${since}`, async () => {
      const file = join(repo.dir, 'empty.log');
      writeFileSync(file, '');
      assertRefused(
        await usage('--audit-log', file, '--since', since),
        2,
        new RegExp(`--since ${since}: not a date like 2026-01-01`),
      );
    });

  it('audit --evidence: --since garbage, and -o xml', async () => {
    const garbage = await roster(['audit', '--evidence', '--repo', repo.dir, '--since', 'garbage']);
    assertRefused(garbage, 2, /--since garbage: not a date like 2026-01-01/);
    const xml = await roster(['audit', '--evidence', '--repo', repo.dir, '-o', 'xml']);
    assert.equal(xml.code, 2);
    assert.match(xml.stderr, /argument 'xml' is invalid\. Allowed choices are text, json, csv/);
  });

  it('review attest: an unknown team names the declared ones and commits nothing', async () => {
    const res = await roster(['review', 'attest', 'nosuch', '--repo', repo.dir, '--reviewer', 'Rita <r@example.com>']);
    assertRefused(res, 2, /team nosuch: not declared in .* \(declared: checkout, data, payments, platform, security\)/);
  });

  it('review attest: refuses a team whose file has uncommitted changes, and leaves the file as it was', async () => {
    const file = join(repo.dir, 'teams', 'payments.yaml');
    appendFileSync(file, '# work in progress\n');
    const before = readFileSync(file, 'utf8');
    const res = await roster([
      'review',
      'attest',
      'payments',
      '--repo',
      repo.dir,
      '--reviewer',
      'Rita <r@example.com>',
    ]);
    assertRefused(res, 2, /teams\/payments\.yaml: has uncommitted changes; commit or stash them first/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('review --due: a negative or non-numeric --within', async () => {
    for (const within of ['-3', 'soon'])
      assertRefused(
        await roster(['review', '--due', '--repo', repo.dir, `--within=${within}`]),
        2,
        new RegExp(`--within ${within}: expected a number of days`),
      );
  });
});

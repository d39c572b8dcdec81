/**
 * `roster review attest --token` and `--no-commit` in a working copy of examples/acme with reviews on: the review
 * lands in the token's own file, as a commit by the reviewer with the trailer, or only in the file.
 */
import assert from 'node:assert/strict';
import fs, { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import type { Io } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { examplesDir } from '../../support/paths.js';
import { TestRepo } from '../../support/git/repo.js';

function filesOf(dir: string, base = dir): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, filesOf(path, base));
    else files[path.slice(base.length + 1)] = readFileSync(path, 'utf8');
  }
  return files;
}

async function roster(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: false };
  return { code: await run(args, io), out, err };
}

describe('review attest: tokens, and --no-commit', () => {
  let repo: TestRepo;
  const saved = process.env.ROSTER_NOW;
  const reviewer = ['--reviewer', 'Rita Reviewer <rita@example.com>'];
  before(async () => {
    process.env.ROSTER_NOW = '2026-11-22T00:00:00Z';
    repo = await TestRepo.create('roster-attest-');
    const files = filesOf(join(examplesDir, 'acme'));
    files['roster.yaml'] = files['roster.yaml']!.replace(
      '  expiryWarningDays: 14\n',
      '  expiryWarningDays: 14\n  review:\n    every: 90d\n    onOverdue: suspend\n',
    );
    await repo.commit(files, { message: 'acme with reviews' });
  });
  after(() => {
    rmSync(repo.dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
  });

  it("records a token's review in its own file as a commit by the reviewer; the token is no longer due", async () => {
    const due = await roster(['review', '--due', '--repo', repo.dir]);
    assert.equal(due.code, 1);
    assert.match(due.out, /token ci-deployer +overdue, never reviewed; SUSPENDED until reviewed/);

    const res = await roster(['review', 'attest', '--token', 'ci-deployer', '--repo', repo.dir, ...reviewer]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /token ci-deployer: review recorded in tokens\/ci-deployer\.yaml .*, commit [0-9a-f]{12}/);
    const [head] = await git.log({ fs, dir: repo.dir, depth: 1 });
    assert.equal(head!.commit.author.email, 'rita@example.com');
    assert.equal(head!.commit.committer.email, 'rita@example.com');
    assert.equal(
      head!.commit.message,
      'Review token ci-deployer: grants attested\n\nRoster-Reviewed-by: Rita Reviewer <rita@example.com>\n',
    );
    const file = readFileSync(join(repo.dir, 'tokens', 'ci-deployer.yaml'), 'utf8');
    assert.match(file, /\n {2}reviewed:\n {4}at: 2026-11-22T00:00:00Z\n {4}by: Rita Reviewer <rita@example.com>\n/);
    const after = await roster(['review', '--due', '--repo', repo.dir]);
    assert.doesNotMatch(after.out, /token ci-deployer/);
  });

  it('--no-commit only edits the file', async () => {
    const [before] = await git.log({ fs, dir: repo.dir, depth: 1 });
    const res = await roster(['review', 'attest', 'payments', '--no-commit', '--repo', repo.dir, ...reviewer]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /team payments: review recorded in teams\/payments\.yaml .*, not committed/);
    const [after] = await git.log({ fs, dir: repo.dir, depth: 1 });
    assert.equal(after!.oid, before!.oid, 'no commit');
    const status = await git.statusMatrix({ fs, dir: repo.dir, filepaths: ['teams/payments.yaml'] });
    assert.deepEqual(status, [['teams/payments.yaml', 1, 2, 1]], 'modified in the working tree, not staged');
    assert.doesNotMatch(res.err, /ask for no access reviews/, 'no such warning: the Settings ask for reviews');
  });

  it('records a review where the Settings ask for none, and warns that nothing will ask for the next', async () => {
    const plain = await TestRepo.create('roster-attest-plain-');
    try {
      await plain.commit(filesOf(join(examplesDir, 'acme')), { message: 'acme without reviews' });
      const res = await roster(['review', 'attest', 'data', '--repo', plain.dir, ...reviewer]);
      assert.equal(res.code, 0, res.err);
      assert.match(res.out, /team data: review recorded in teams\/data\.yaml/);
      assert.match(res.err, /^warning: the Settings ask for no access reviews.*add review: \{every: 90d\}/);
    } finally {
      rmSync(plain.dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roster } from '../../support/cli.js';
import { assertGolden } from '../../support/golden.js';
import { repoRoot } from '../../support/paths.js';

/** Relative, run from the repository root, so reports name the folder the way a user typed it. */
const ACME = 'examples/acme';

/** Output that names the commit changes with every commit; goldens hold a placeholder. */
function withoutCommits(text: string): string {
  return text.replace(/\b[0-9a-f]{40}\b/g, '<commit>').replace(/@ [0-9a-f]{12}\b/g, '@ <commit>');
}

describe('roster offline commands on examples/acme', () => {
  const saved = process.env.ROSTER_NOW;
  const cwd = process.cwd();
  before(() => {
    process.env.ROSTER_NOW = '2026-11-22T00:00:00Z';
    process.chdir(repoRoot);
  });
  after(() => {
    process.chdir(cwd);
    if (saved === undefined) delete process.env.ROSTER_NOW;
    else process.env.ROSTER_NOW = saved;
  });

  it('validates the example and says what it holds', async () => {
    const res = await roster(['validate', '--repo', ACME, '--worktree']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /valid: 3 clusters, 5 teams, 4 custom roles, 2 tokens/);
  });

  it('builds the manifests of one cluster, byte for byte as the golden file', async () => {
    const res = await roster(['build', '--repo', ACME, '--worktree', '--cluster', 'prod-eu']);
    assert.equal(res.code, 0, res.stderr);
    assertGolden('cli/build-prod-eu.yaml', withoutCommits(res.stdout));
  });

  it('builds a kubectl-ready List as JSON for one cluster', async () => {
    const res = await roster(['build', '--repo', ACME, '--worktree', '--cluster', 'staging-eu', '-o', 'json']);
    assert.equal(res.code, 0, res.stderr);
    const list = JSON.parse(res.stdout) as { kind: string; items: { kind: string }[] };
    assert.equal(list.kind, 'List');
    assert.ok(list.items.some((o) => o.kind === 'RoleBinding'));
  });

  it('prints the offline plan with the access tree and upcoming expiries', async () => {
    const res = await roster(['plan', '--offline', '--repo', ACME, '--worktree']);
    assert.equal(res.code, 0, res.stderr);
    assertGolden('cli/plan-offline.txt', withoutCommits(res.stdout));
  });

  it('prints the offline plan as Markdown for a pull request, objects folded, the same access tree', async () => {
    const res = await roster(['plan', '--offline', '--repo', ACME, '--worktree', '-o', 'markdown']);
    assert.equal(res.code, 0, res.stderr);
    assertGolden('cli/plan-offline.md', withoutCommits(res.stdout));
    const text = await roster(['plan', '--offline', '--repo', ACME, '--worktree']);
    const start = text.stdout.indexOf('[Cluster] prod-eu');
    const tree = text.stdout.slice(start, text.stdout.indexOf('\n\n', start));
    assert.ok(tree.length > 1000 && res.stdout.includes(`\`\`\`text\n${tree}\n\`\`\``));
  });

  it('reports every error of an invalid repo on stderr and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-cli-'));
    cpSync(ACME, dir, { recursive: true });
    const team = join(dir, 'teams', 'payments.yaml');
    writeFileSync(team, readFileSync(team, 'utf8').replace('role: incident-responder', 'role: incident-responderr'));
    const res = await roster(['validate', '--repo', dir, '--worktree']);
    assert.equal(res.code, 2);
    assert.match(
      res.stderr,
      new RegExp(
        String.raw`teams\/payments\.yaml:\d+:\d+ spec\.grants\[2\]\.role: unknown role "incident-responderr" \(did ` +
          String.raw`you mean "incident-responder"\?\)`,
      ),
    );
  });

  it('answers an unknown cluster with a usage error (exit 2) naming the declared ones', async () => {
    const res = await roster(['build', '--repo', ACME, '--worktree', '--cluster', 'prod-moon']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown cluster "prod-moon".*prod-eu, prod-us, staging-eu/);
  });

  it('answers a flag that does not exist, or a missing argument, with exit 2 and one line, no stack', async () => {
    const flag = await roster(['validate', '--repo', ACME, '--worktree', '--frobnicate']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /unknown option '--frobnicate'/);
    const missing = await roster(['validate', '--repo']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /option '--repo <[^>]+>' argument missing/);
    assert.doesNotMatch(flag.stderr + missing.stderr, /\n\s+at /);
  });
});

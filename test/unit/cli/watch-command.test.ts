/** `roster watch` as a person uses it: the built binary on a folder being edited, stopped with SIGTERM. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.js';

const team = (namespaces: string[]) =>
  `apiVersion: roster/v1\nkind: Team\nmetadata: {name: payments}\nspec:\n  members:\n` +
  `    users: [alice@example.com]\n  grants:\n    - role: viewer\n      namespaces: [${namespaces.join(', ')}]\n`;

describe('roster watch', function () {
  this.timeout(30_000);
  let dir: string;
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-watch-cli-'));
    for (const sub of ['clusters', 'teams']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'clusters', 'east.yaml'),
      'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: east}\nspec:\n  context: east\n',
    );
    writeFileSync(join(dir, 'teams', 'payments.yaml'), team(['payments']));
    stdout = '';
    stderr = '';
  });
  afterEach(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function until(what: string, probe: () => boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!probe()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const plans = () => stdout.split('\n=== ').length - 1;

  it('prints the plan at start and after each edit; an invalid edit is reported and the watch goes on', async () => {
    child = spawn(
      process.execPath,
      [join(repoRoot, 'dist/src/cli/bin.js'), 'watch', '--repo', dir, '--debounce', '100'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await until('the first plan', () => stdout.includes('RoleBinding/payments/roster:team:payments:viewer'));
    assert.match(stdout, /=== \S+ initial plan/);

    writeFileSync(join(dir, 'teams', 'payments.yaml'), team(['payments', 'payments-staging']));
    await until('the plan after the edit', () =>
      stdout.includes('RoleBinding/payments-staging/roster:team:payments:viewer'),
    );
    assert.match(stdout, new RegExp(`=== \\S+ changed: ${join('teams', 'payments.yaml').replace(/[/\\]/g, '.')}`));

    writeFileSync(
      join(dir, 'teams', 'payments.yaml'),
      team(['payments']).replace('role: viewer', 'role: no-such-role'),
    );
    await until('the error', () => /error: \d+ error\(s\)/.test(stderr));
    assert.match(stderr, /teams\/payments\.yaml:\d+:\d+ .*no-such-role/);

    const before = plans();
    writeFileSync(join(dir, 'teams', 'payments.yaml'), team(['payments']));
    await until(
      'a plan after the fix',
      () => plans() > before && stdout.lastIndexOf('roster:team:payments:viewer') > stdout.lastIndexOf('=== '),
    );

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  for (const [what, args, env, named] of [
    ['--kubeconfig naming a missing file', ['--kubeconfig', 'missing.yaml'], {}, 'missing.yaml'],
    ['KUBECONFIG listing a file that is not one', [], { KUBECONFIG: 'text' }, 'text'],
  ] as const) {
    it(`--online with ${what}: exit 2 at once, naming the file, no watch started`, async () => {
      writeFileSync(join(dir, 'text'), 'just some words\n');
      const abs = (a: string) => (a.endsWith('.yaml') || a === 'text' ? join(dir, a) : a);
      const environment = { ...process.env, ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, abs(v)])) };
      if (!('KUBECONFIG' in env)) delete environment.KUBECONFIG;
      child = spawn(
        process.execPath,
        [join(repoRoot, 'dist/src/cli/bin.js'), 'watch', '--online', '--repo', dir, ...args.map(abs)],
        { stdio: ['ignore', 'pipe', 'pipe'], env: environment },
      );
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
      assert.equal(code, 2, stderr);
      assert.ok(stderr.startsWith(`error: kubeconfig ${join(dir, named)}: `), stderr);
      assert.doesNotMatch(stderr, /watching/);
      assert.equal(stdout, '');
    });
  }
});

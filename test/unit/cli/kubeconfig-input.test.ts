/**
 * A file passed as a kubeconfig that is not one (text, another YAML, missing, a directory, a broken server URL) is
 * bad input: every command that reads a kubeconfig says which file and what is wrong, exits 2, prints no stack and
 * never quotes what the file holds. No cluster is needed: each case fails before the first request.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { roster } from '../../support/cli.js';
import { examplesDir } from '../../support/paths.js';

const ACME = join(examplesDir, 'acme');
const SECRET = 'sekrit-token-value-0123456789';

function kubeconfig(server: string, extra: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server } }],
    users: [{ name: 'u', user: { token: SECRET } }],
    contexts: [
      { name: 'prod-eu', context: { cluster: 'c', user: 'u' } },
      { name: 'other', context: { cluster: 'c', user: 'u' } },
    ],
    ...extra,
  });
}

describe('cli: a --kubeconfig that is not a usable kubeconfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-bad-kubeconfig-'));
  const file = (name: string) => join(dir, name);
  before(() => {
    writeFileSync(file('text'), `just some words, and ${SECRET}\n`);
    writeFileSync(file('pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: ${SECRET}}\n`);
    writeFileSync(file('broken.yaml'), `clusters: [{name: ${SECRET}\n`);
    writeFileSync(file('empty'), '');
    writeFileSync(file('bad-url.yaml'), kubeconfig(`not a url ${SECRET}`, { 'current-context': 'prod-eu' }));
    writeFileSync(file('no-current.yaml'), kubeconfig('https://127.0.0.1:1'));
    writeFileSync(file('contexts-map.yaml'), 'contexts: {a: 1}\n');
    mkdirSync(file('a-directory'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, RegExp]> = [
    ['text', /not a kubeconfig: it is plain text, not a mapping with clusters, contexts and users/],
    ['pod.yaml', /not a kubeconfig: its kind is not Config/],
    ['broken.yaml', /not a kubeconfig: not valid YAML at line \d+, column \d+/],
    ['empty', /is empty/],
    ['missing.yaml', /does not exist; check the path/],
    ['a-directory', /is a directory, not a file/],
    ['bad-url.yaml', /the server of cluster "c" is not an https:\/\/ URL/],
    ['contexts-map.yaml', /not a kubeconfig: contexts is not a list/],
  ];

  function assertClear(res: { code: number; stdout: string; stderr: string }, name: string, problem: RegExp) {
    assert.equal(res.code, 2, res.stderr);
    // The one error line (a warning about the repository may come before it).
    assert.ok(
      res.stderr.split('\n').some((l) => l.startsWith(`error: kubeconfig ${file(name)}: `)),
      res.stderr,
    );
    assert.match(res.stderr, problem);
    assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
    assert.ok(!res.stderr.includes(SECRET) && !res.stdout.includes(SECRET), 'the file content stays out of output');
  }

  for (const [name, problem] of cases) {
    it(`whoami --kubeconfig ${name}: exit 2, names the file and the problem`, async () => {
      assertClear(await roster(['whoami', '--repo', ACME, '--worktree', '--kubeconfig', file(name)]), name, problem);
    });
  }

  const commands: Array<[string, string[]]> = [
    ['plan', ['plan']],
    ['apply', ['apply']],
    ['drift', ['drift']],
    ['token kubeconfig', ['token', 'kubeconfig', 'ci-deployer', '--cluster', 'prod-eu', '-o', '-']],
    ['kubeconfig --user', ['kubeconfig', '--user', 'alice@example.com', '--cluster', 'prod-eu', '-o', '-']],
    ['access --live', ['access', '--user', 'alice@example.com', '--live']],
    ['can-i --live', ['can-i', 'get', 'pods', '--as', 'alice@example.com', '-n', 'payments', '--live']],
  ];
  for (const [command, args] of commands) {
    for (const [name, problem] of [cases[0]!, cases[4]!, cases[5]!]) {
      it(`${command} --kubeconfig ${name}: exit 2 before any cluster`, async () => {
        const res = await roster([...args, '--repo', ACME, '--worktree', '--kubeconfig', file(name)]);
        assertClear(res, name, problem);
        assert.doesNotMatch(res.stdout, /cluster prod-eu/, 'no per-cluster result: nothing was attempted');
      });
    }
  }

  it('whoami without --context on a file with no current-context lists its contexts', async () => {
    const res = await roster(['whoami', '--repo', ACME, '--worktree', '--kubeconfig', file('no-current.yaml')]);
    assertClear(res, 'no-current.yaml', /has no current-context \(its contexts: "prod-eu", "other"\); pass --context/);
  });

  it('whoami --context naming a context the file lacks lists the ones it has', async () => {
    const args = ['whoami', '--repo', ACME, '--worktree', '--kubeconfig', file('no-current.yaml'), '--context', 'x'];
    assertClear(await roster(args), 'no-current.yaml', /has no context "x" \(its contexts: "prod-eu", "other"\)/);
  });

  it('token kubeconfig on a file without the cluster context: exit 2, naming the context', async () => {
    const args = ['token', 'kubeconfig', 'ci-deployer', '--cluster', 'prod-us', '-o', '-'];
    const res = await roster([...args, '--repo', ACME, '--worktree', '--kubeconfig', file('no-current.yaml')]);
    assertClear(res, 'no-current.yaml', /has no context "prod-us"/);
  });

  it('whoami on a file whose user names a missing certificate: exit 2, naming the field and path', async () => {
    const users = [{ name: 'u', user: { 'client-certificate': 'certs/alice.pem', 'client-key': 'certs/alice.key' } }];
    writeFileSync(file('missing-cert.yaml'), kubeconfig('https://127.0.0.1:1', { users, 'current-context': 'other' }));
    const res = await roster(['whoami', '--repo', ACME, '--worktree', '--kubeconfig', file('missing-cert.yaml')]);
    assertClear(
      res,
      'missing-cert.yaml',
      /user "u" names client-certificate certs\/alice\.pem, which cannot be read \(ENOENT\)/,
    );
  });

  it('reads files a kubeconfig names relative to its own folder, as kubectl does: no false alarm', async () => {
    mkdirSync(file('certs'), { recursive: true });
    writeFileSync(file('certs/ca.pem'), 'not really a certificate');
    const clusters = [
      { name: 'c', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': 'certs/ca.pem' } },
    ];
    writeFileSync(file('relative-ca.yaml'), kubeconfig('', { clusters, 'current-context': 'other' }));
    const res = await roster(['whoami', '--repo', ACME, '--worktree', '--kubeconfig', file('relative-ca.yaml')]);
    // It gets as far as the request: nothing listens on port 1, a cluster failure (exit 3), not bad input.
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /error: SelfSubjectReview: create failed: ECONNREFUSED/);
  });

  it('plan on a file lacking one cluster context fails that cluster only (exit 3), never the run', async () => {
    const res = await roster(['plan', '--repo', ACME, '--worktree', '--kubeconfig', file('bad-url.yaml')]);
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stdout, /cluster prod-us: failed: kubeconfig .*bad-url\.yaml: has no context "prod-us"/);
    assert.match(res.stdout, /cluster prod-eu: failed: kubeconfig .*bad-url\.yaml: the server of cluster "c" is not/);
    assert.ok(!res.stdout.includes(SECRET) && !res.stderr.includes(SECRET));
  });
});

describe('cli: a kubeconfig whose exec credential plugin cannot run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-exec-plugin-'));
  const file = (name: string) => join(dir, name);
  const credential = (token: string) =>
    JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
  const plugins: Record<string, string> = {
    'fails.sh': `echo "login expired for ${SECRET}" >&2\nexit 1`,
    'garbage.sh': `echo "token: ${SECRET}"`,
    'no-status.sh': `echo '{"kind":"ExecCredential","token":"${SECRET}"}'`,
    'works.sh': `echo '${credential(SECRET)}'`,
  };
  const execUser = (name: string, command: string) => ({
    name,
    user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command, args: ['--secret', SECRET] } },
  });
  /** Two contexts on an address nothing listens on: prod-eu runs `command`, other runs the plugin that works. */
  function execKubeconfig(name: string, command: string, current = 'prod-eu'): string {
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [execUser('u', command), execUser('ok', file('works.sh'))],
      contexts: [
        { name: 'prod-eu', context: { cluster: 'c', user: 'u' } },
        { name: 'other', context: { cluster: 'c', user: 'ok' } },
      ],
      'current-context': current,
    };
    writeFileSync(file(name), stringify(config));
    return file(name);
  }
  before(() => {
    for (const [name, body] of Object.entries(plugins))
      writeFileSync(file(name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, () => string, RegExp]> = [
    ['a missing binary', () => join(dir, 'no-such-plugin'), /cannot be started: command not found \(ENOENT\)/],
    ['a plugin that exits non-zero', () => file('fails.sh'), /failed \(it exited with an error\)/],
    ['a plugin that prints garbage', () => file('garbage.sh'), /printed something that is not JSON/],
    ['a plugin that prints JSON without status', () => file('no-status.sh'), /JSON that is not an ExecCredential/],
  ];
  for (const [what, command, problem] of cases) {
    it(`whoami and kubeconfig --user with ${what}: exit 2 naming the context and command, not its output`, async () => {
      const kc = execKubeconfig(`${what.replace(/ /g, '-')}.yaml`, command());
      const out = file('alice.kubeconfig');
      for (const args of [
        ['whoami', '--kubeconfig', kc],
        ['kubeconfig', '--user', 'alice@example.com', '--cluster', 'prod-eu', '--kubeconfig', kc, '-o', out],
      ]) {
        const res = await roster([...args, '--repo', ACME, '--worktree']);
        assert.equal(res.code, 2, res.stderr);
        const line = res.stderr.split('\n').find((l) => l.startsWith('error: '));
        assert.equal(
          line?.replace(/ which .*?;/, ' which …;'),
          `error: kubeconfig ${kc}: context "prod-eu" uses the exec credential plugin "${command()}", which …; ` +
            "run the command yourself (its login may have expired), or fix the context's user",
        );
        assert.match(res.stderr, problem);
        assert.ok(!res.stderr.includes(SECRET) && !res.stdout.includes(SECRET), "the plugin's output stays out");
        assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
        assert.throws(() => statSync(out), 'no kubeconfig was written');
      }
    });
  }

  it("runs the plugin of the context asked for, not the current context's", async () => {
    const kc = execKubeconfig('two-plugins.yaml', join(dir, 'no-such-plugin'), 'prod-eu');
    const res = await roster(['whoami', '--kubeconfig', kc, '--context', 'other', '--repo', ACME, '--worktree']);
    // The plugin that works gave a token, so the request went out: nothing listens there (a cluster failure, exit 3).
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /error: SelfSubjectReview: create failed: ECONNREFUSED/);
    assert.ok(!res.stderr.includes(SECRET));
  });
});

describe('cli: KUBECONFIG listing several files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-kubeconfig-list-'));
  const file = (name: string) => join(dir, name);
  const saved = process.env.KUBECONFIG;
  /** A plain kubeconfig with one context, its cluster's CA named relative to the file's own folder. */
  const one = (context: string, server: string, ca?: string) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: `c-${context}`, cluster: { server, ...(ca ? { 'certificate-authority': ca } : {}) } }],
      users: [{ name: `u-${context}`, user: { token: SECRET } }],
      contexts: [{ name: context, context: { cluster: `c-${context}`, user: `u-${context}` } }],
      'current-context': context,
    });
  before(() => {
    mkdirSync(file('b/certs'), { recursive: true });
    writeFileSync(file('b/certs/ca.pem'), 'not really a certificate');
    writeFileSync(file('a.yaml'), one('other', 'https://127.0.0.1:1'));
    writeFileSync(file('b/prod-eu.yaml'), one('prod-eu', 'https://127.0.0.1:1', 'certs/ca.pem'));
    writeFileSync(file('b/prod-eu-missing-ca.yaml'), one('prod-eu', 'https://127.0.0.1:1', 'certs/nope.pem'));
    writeFileSync(file('text'), `just some words, and ${SECRET}\n`);
    writeFileSync(file('again.yaml'), one('other', 'https://127.0.0.1:2'));
  });
  after(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const list = (...names: string[]) => (process.env.KUBECONFIG = names.map(file).join(delimiter));
  const mint = ['kubeconfig', '--user', 'alice@example.com', '--cluster', 'prod-eu', '-o', '-'];

  function assertBad(res: { code: number; stdout: string; stderr: string }, named: string, problem: RegExp) {
    assert.equal(res.code, 2, res.stderr);
    assert.ok(res.stderr.includes(`error: kubeconfig ${named}: `), res.stderr);
    assert.match(res.stderr, problem);
    assert.doesNotMatch(res.stdout, /cluster prod-eu/, 'no per-cluster result: nothing was attempted');
    assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
    assert.ok(!res.stderr.includes(SECRET) && !res.stdout.includes(SECRET), 'no file content in the output');
  }

  for (const [command, args] of [
    ['plan', ['plan']],
    ['kubeconfig --user', mint],
    ['whoami --live', ['whoami', '--kubeconfig', 'a.yaml', '--live']],
  ] as const) {
    it(`${command}: names a listed file that is missing or not a kubeconfig (exit 2, before any request)`, async () => {
      const argv = args.map((a) => (a === 'a.yaml' ? file('a.yaml') : a));
      list('a.yaml', 'text', 'b/prod-eu.yaml');
      assertBad(
        await roster([...argv, '--repo', ACME, '--worktree']),
        file('text'),
        /not a kubeconfig: it is plain text/,
      );
      list('a.yaml', 'missing.yaml');
      assertBad(await roster([...argv, '--repo', ACME, '--worktree']), file('missing.yaml'), /does not exist/);
    });
  }

  it('a name two files define is refused naming the later file and the earlier one', async () => {
    list('a.yaml', 'again.yaml');
    const res = await roster([...mint, '--repo', ACME, '--worktree']);
    assertBad(
      res,
      file('again.yaml'),
      new RegExp(`defines cluster "c-other", which ${file('a.yaml')} before it in KUBECONFIG`),
    );
  });

  it('the context checks see the merged files: a missing one is listed with every file', async () => {
    list('a.yaml', 'b/prod-eu-missing-ca.yaml');
    const res = await roster([...mint, '--repo', ACME, '--worktree']);
    const both = `${file('a.yaml')}${delimiter}${file('b/prod-eu-missing-ca.yaml')} (KUBECONFIG)`;
    assertBad(res, both, /cluster "c-prod-eu" names certificate-authority .*certs\/nope\.pem, which cannot be read/);
    list('a.yaml');
    assertBad(await roster([...mint, '--repo', ACME, '--worktree']), file('a.yaml'), /has no context "prod-eu"/);
  });

  it('good files merge as client-node merges them: the request goes out (nothing listens: exit 3)', async () => {
    // The first file only chooses the current context, as context switchers write it: fine in a list.
    writeFileSync(file('current.yaml'), 'current-context: other\n');
    list('current.yaml', 'a.yaml', 'b/prod-eu.yaml');
    const res = await roster([...mint, '--repo', ACME, '--worktree']);
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /ECONNREFUSED/);
    assert.doesNotMatch(res.stderr, /kubeconfig /);
  });
});

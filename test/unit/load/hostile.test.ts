/**
 * Hostile input is a diagnostic: each of these files makes `roster apply` exit 2 with file:line:col and a hint,
 * no stack trace, and not one request to any cluster (a local server stands in as every cluster and counts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../../src/cli/main.js';
import { LOAD_LIMITS } from '../../../src/load/parse.js';

const TEAM = 'apiVersion: roster/v1\nkind: Team\nmetadata:\n  name: hostile\n';
const bomb = (levels: number) =>
  ['a0: &a0 [x,x,x,x,x,x,x,x,x,x]']
    .concat(Array.from({ length: levels }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`))
    .join('\n');

const CASES: Array<{ name: string; content: string | Buffer; where: RegExp; says: RegExp }> = [
  {
    name: 'an alias bomb',
    content: `${TEAM}spec:\n${bomb(6).replace(/^/gm, '  ')}\n`,
    where: /teams\/hostile\.yaml:\d+:\d+/,
    says: /alias bomb/,
  },
  {
    name: 'an alias to an anchor that does not exist',
    content: `${TEAM}spec:\n  description: *nope\n`,
    where: /teams\/hostile\.yaml:6:16/,
    says: /unresolved alias \*nope/,
  },
  {
    name: 'an alias to an anchor in another document',
    content: `x: &shared [a]\n---\n${TEAM}spec:\n  description: *shared\n`,
    where: /teams\/hostile\.yaml:8:16/,
    says: /anchors do not carry across "---"/,
  },
  {
    name: 'a duplicate key',
    content: `${TEAM}spec:\n  description: a\n  description: b\n`,
    where: /teams\/hostile\.yaml:7:3/,
    says: /unique/,
  },
  {
    name: 'bytes that are not UTF-8',
    content: Buffer.concat([
      Buffer.from(`${TEAM}spec:\n  description: caf`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]),
    where: /teams\/hostile\.yaml:6:19/,
    says: /not valid UTF-8/,
  },
  {
    name: 'a file over the size limit',
    content: `${TEAM}spec:\n  description: ${'x'.repeat(LOAD_LIMITS.maxFileChars)}\n`,
    where: /teams\/hostile\.yaml:6:\d+/,
    says: /over the limit/,
  },
  {
    name: 'a NUL byte',
    content: `${TEAM}spec:\n  description: a\u0000b\n`,
    where: /teams\/hostile\.yaml:6:17 /,
    says: /control character U\+0000, which YAML does not allow/,
  },
  {
    name: 'a terminal escape sequence',
    content: `${TEAM}spec:\n  description: \u001b[31mred\n`,
    where: /teams\/hostile\.yaml:6:16 /,
    says: /control character U\+001B/,
  },
  {
    name: 'block sequences nested thousands of levels deep',
    content: `${TEAM}spec:\n  description:\n    ${'- '.repeat(5000)}x\n`,
    where: /teams\/hostile\.yaml:7:\d+ /,
    says: /nested too deeply to read/,
  },
  {
    name: 'nesting thousands of levels deep',
    content: `${TEAM}spec:\n  description: ${'['.repeat(5000)}\n`,
    where: /teams\/hostile\.yaml:6:\d+/,
    says: /nested more than/,
  },
];

describe('hostile input: a diagnostic, exit 2, zero requests', function () {
  this.timeout(60_000);
  let server: http.Server;
  let requests = 0;
  let root: string;
  let kubeconfig: string;

  before(async () => {
    server = http.createServer((req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    root = mkdtempSync(join(tmpdir(), 'roster-hostile-'));
    kubeconfig = join(root, 'kubeconfig');
    const contexts = ['prod-eu', 'prod-us', 'staging-eu'];
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((name) => ({ name, cluster: { server: url, 'insecure-skip-tls-verify': true } })),
      users: [{ name: 'u', user: { token: 'not-a-real-token' } }],
      contexts: contexts.map((name) => ({ name, context: { cluster: name, user: 'u' } })),
    };
    writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  });

  function repoWith(files: Record<string, string | Buffer>): string {
    const dir = mkdtempSync(join(root, 'repo-'));
    cpSync('examples/acme', dir, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  async function apply(dir: string) {
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), color: false };
    const code = await run(['apply', '--repo', dir, '--kubeconfig', kubeconfig], io);
    return { code, out, err };
  }

  for (const c of CASES) {
    it(`refuses ${c.name}`, async () => {
      const before = requests;
      const res = await apply(repoWith({ 'teams/hostile.yaml': c.content }));
      const text = res.out + res.err;
      assert.equal(res.code, 2, text.slice(0, 2000));
      assert.match(text, c.where);
      assert.match(text, c.says);
      assert.match(text, /hint: /);
      assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      assert.equal(requests - before, 0, 'no request to any cluster');
    });
  }

  it('refuses ten thousand aliases of one anchor within seconds (each alias used to rescan the document)', async () => {
    const aliases = Array(10_000).fill('*x').join(',');
    const before = requests;
    const started = Date.now();
    const res = await apply(repoWith({ 'teams/hostile.yaml': `${TEAM}spec:\n  x: &x a\n  y: [${aliases}]\n` }));
    const ms = Date.now() - started;
    assert.equal(res.code, 2, res.err.slice(0, 2000));
    assert.match(res.out + res.err, /teams\/hostile\.yaml:7:\d+ aliases expand to more than 1000 nodes/);
    assert.ok(ms < 10_000, `${ms} ms`);
    assert.equal(requests - before, 0);
  });

  it('refuses a file whose name is not UTF-8, by its name, instead of failing to open it', async () => {
    const dir = repoWith({});
    writeFileSync(
      Buffer.concat([Buffer.from(join(dir, 'teams', 'caf')), Buffer.from([0xe9]), Buffer.from('.yaml')]),
      TEAM,
    );
    const before = requests;
    const res = await apply(dir);
    const text = res.out + res.err;
    assert.equal(res.code, 2, text.slice(0, 2000));
    assert.match(text, /teams\/caf\uFFFD\.yaml:1:1 the file name is not valid UTF-8/);
    assert.match(text, /hint: rename the file/);
    assert.equal(requests - before, 0);
  });

  it('shows a file name holding a newline and a terminal escape as escapes, on one line', async () => {
    const res = await apply(repoWith({ 'teams/odd\n\u001b[31m.yaml': `${TEAM}spec:\n  description: *nope\n` }));
    const text = res.out + res.err;
    assert.equal(res.code, 2, text.slice(0, 2000));
    assert.ok(text.includes('teams/odd\\u000a\\u001b[31m.yaml:6:16 unresolved alias *nope'), text.slice(0, 2000));
    assert.ok(!text.includes('\u001b'), 'no raw escape character reaches the terminal');
  });

  it('refuses a file it may not read with exit 2 naming it, without a stack trace', () => {
    const dir = repoWith({ 'teams/locked.yaml': TEAM });
    chmodSync(join(dir, 'teams', 'locked.yaml'), 0o000);
    // root reads every file; without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH it is held to the mode bits too.
    const asRoot = process.getuid?.() === 0 ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search'] : [];
    const cli = [process.execPath, 'dist/src/cli/bin.js', 'validate', '--repo', dir];
    const [cmd, ...args] = [...asRoot, ...cli];
    const res = spawnSync(cmd!, args, { encoding: 'utf8' });
    assert.equal(res.status, 2, `${res.stdout}${res.stderr}`);
    assert.match(res.stderr, /teams\/locked\.yaml: cannot be read \(EACCES\)/);
    assert.doesNotMatch(res.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
  });

  it('refuses a --repo that is missing or is a file with exit 2 naming it, not an internal error', async () => {
    for (const [repo, why] of [
      [join(root, 'no-such-folder'), 'ENOENT'],
      [kubeconfig, 'ENOTDIR'],
    ] as const) {
      let text = '';
      const io = { out: (t: string) => void (text += t), err: (t: string) => void (text += t), color: false };
      const code = await run(['validate', '--repo', repo], io);
      assert.equal(code, 2, text);
      assert.ok(text.includes(`${repo}: cannot be read as a folder (${why}); check the --repo path`), text);
      assert.doesNotMatch(text, /internal error/);
    }
  });

  it(`refuses a tree of more than ${LOAD_LIMITS.maxFiles} YAML files`, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i <= LOAD_LIMITS.maxFiles; i++) files[`many/f${String(i).padStart(5, '0')}.yaml`] = '';
    const before = requests;
    const res = await apply(repoWith(files));
    assert.equal(res.code, 2, res.err.slice(0, 2000));
    assert.match(res.out + res.err, /many\/f\d+\.yaml:1:1 .*more than 10000 YAML files/);
    assert.equal(requests - before, 0);
  });
});

/**
 * Hostile input is a diagnostic: each of these files makes `roster apply` exit 2 with file:line:col and a hint,
 * no stack trace, and not one request to any cluster (a local server stands in as every cluster and counts).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

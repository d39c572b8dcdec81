/**
 * Signatures as strict as ssh-keygen, checked against the real tool: RSA and ed25519 keys made by `ssh-keygen`,
 * commits signed by `git commit -S` (which runs `ssh-keygen -Y sign`), validity windows and namespaces in
 * allowed_signers honoured the way `ssh-keygen -Y verify` honours them, unsupported key types refused up front, and
 * `roster apply` on an expired signer's commit exiting 2 without a request to any cluster.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run as roster } from '../../../src/cli/main.js';
import { reasonOf } from '../../../src/source/errors.js';
import { readSource } from '../../../src/source/index.js';
import { parseAllowedSigners, parseSshTime } from '../../../src/source/verify/allowed-signers.js';
import { parseSshSignature, verifySshSignature } from '../../../src/source/verify/sshsig.js';

function sh(cwd: string, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(args[0]!, args.slice(1), { cwd, encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(cwd: string, ...args: string[]): string {
  const r = sh(cwd, args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** ssh-keygen's own verdict on a signature over `file` with this allowed_signers file. */
function sshKeygenAccepts(dir: string, signers: string, file: string): boolean {
  const r = spawnSync(
    'ssh-keygen',
    ['-Y', 'verify', '-f', signers, '-I', 'dev@example.com', '-n', 'git', '-s', `${file}.sig`],
    {
      cwd: dir,
      input: readFileSync(join(dir, file)),
    },
  );
  return r.status === 0;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 12) + 'Z';
const DAY = 86_400_000;

describe('SSH signers as strict as ssh-keygen (real ssh-keygen and git)', function () {
  this.timeout(60_000);
  let dir: string;
  const keys: Record<'ed25519' | 'rsa', string> = { ed25519: '', rsa: '' };

  before(function () {
    assert.equal(sh('.', ['git', '--version']).status, 0, 'git is needed for this test: apt-get install git');
    assert.notEqual(
      spawnSync('ssh-keygen', ['-h']).status,
      null,
      'ssh-keygen is needed for this test: apt-get install openssh-client',
    );
    dir = mkdtempSync(join(tmpdir(), 'roster-sshkeygen-'));
    ok(dir, 'ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'dev', '-f', 'ed25519');
    ok(dir, 'ssh-keygen', '-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'dev', '-f', 'rsa');
    for (const k of ['ed25519', 'rsa'] as const) keys[k] = readFileSync(join(dir, `${k}.pub`), 'utf8').trim();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const type of ['ed25519', 'rsa'] as const) {
    it(`verifies an ssh-keygen -Y sign signature made with an ${type} key, and refuses it for other content`, () => {
      const file = `payload-${type}`;
      writeFileSync(join(dir, file), `tree 1234\nauthor dev\n\nsigned with ${type}\n`);
      ok(dir, 'ssh-keygen', '-q', '-Y', 'sign', '-f', type, '-n', 'git', file);
      const sig = parseSshSignature(readFileSync(join(dir, `${file}.sig`), 'utf8'));
      assert.equal(sig.keyType, type === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519');
      if (type === 'rsa') assert.equal(sig.signatureType, 'rsa-sha2-512');
      const payload = readFileSync(join(dir, file));
      assert.equal(verifySshSignature(sig, payload, 'git'), true);
      assert.equal(verifySshSignature(sig, Buffer.concat([payload, Buffer.from('x')]), 'git'), false);
      assert.equal(verifySshSignature(sig, payload, 'file'), false);
    });
  }

  /** A repository with one commit signed by `git commit -S` with the key. */
  /** git in `repo` as Dev, signing with the SSH key `key`. */
  function signingGit(repo: string, key: 'ed25519' | 'rsa') {
    return (...a: string[]) =>
      ok(
        repo,
        'git',
        '-c',
        'user.name=Dev',
        '-c',
        'user.email=dev@example.com',
        '-c',
        'gpg.format=ssh',
        '-c',
        `user.signingkey=${join(dir, key)}`,
        ...a,
      );
  }

  function signedRepo(key: 'ed25519' | 'rsa'): string {
    const repo = mkdtempSync(join(dir, `repo-${key}-`));
    const git = signingGit(repo, key);
    git('init', '-q', '-b', 'main');
    writeFileSync(
      join(repo, 'roster.yaml'),
      'apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec: {instance: t}\n',
    );
    git('add', 'roster.yaml');
    git('commit', '-q', '-S', '-m', 'signed');
    return repo;
  }

  function signersFile(name: string, line: string): string {
    const path = join(dir, name);
    writeFileSync(path, `${line}\n`);
    return path;
  }

  it('accepts a git commit signed with an RSA key (rsa-sha2-512) from an allowed signer', async () => {
    const repo = signedRepo('rsa');
    const snap = await readSource({
      repo,
      verify: { allowedSigners: signersFile('rsa-ok', `dev@example.com ${keys.rsa}`) },
    });
    assert.match(snap.signer ?? '', /^dev@example\.com \(SHA256:\S+\) on commit [0-9a-f]{12}$/);
  });

  it('honours valid-after and valid-before exactly where ssh-keygen -Y verify does', async () => {
    const repo = signedRepo('ed25519');
    writeFileSync(join(dir, 'msg'), 'message\n');
    ok(dir, 'ssh-keygen', '-q', '-Y', 'sign', '-f', 'ed25519', '-n', 'git', 'msg');
    const now = new Date();
    const windows = {
      expired: `valid-before="${stamp(new Date(now.getTime() - DAY))}"`,
      'not yet valid': `valid-after="${stamp(new Date(now.getTime() + DAY))}"`,
      current:
        `valid-after="${stamp(new Date(now.getTime() - DAY))}",` +
        `valid-before="${stamp(new Date(now.getTime() + DAY))}"`,
    };
    for (const [name, options] of Object.entries(windows)) {
      const file = signersFile(`window-${name.replace(/ /g, '-')}`, `dev@example.com ${options} ${keys.ed25519}`);
      const theirs = sshKeygenAccepts(dir, file, 'msg');
      const ours = await readSource({ repo, verify: { allowedSigners: file } }).then(
        () => true,
        (err: Error) => {
          assert.equal(reasonOf(err), 'expired-signer', err.message);
          assert.match(
            err.message,
            name === 'expired' ? /expired at .*valid-before/ : /not valid before .*valid-after/,
          );
          return false;
        },
      );
      assert.equal(ours, theirs, `${name}: ssh-keygen says ${theirs}, Roster says ${ours}`);
      assert.equal(ours, name === 'current', name);
    }
  });

  it('trusts a key only for the namespaces listed, like ssh-keygen', async () => {
    const repo = signedRepo('ed25519');
    const file = signersFile('ns-file', `dev@example.com namespaces="file" ${keys.ed25519}`);
    await assert.rejects(
      readSource({ repo, verify: { allowedSigners: file } }),
      (e) => reasonOf(e) === 'unknown-signer',
    );
    const git = signersFile('ns-git', `dev@example.com namespaces="git,file" ${keys.ed25519}`);
    assert.ok((await readSource({ repo, verify: { allowedSigners: git } })).signer);
  });

  it('refuses an allowed signers file with a key type Roster cannot verify, naming it, before any commit', async () => {
    ok(dir, 'ssh-keygen', '-q', '-t', 'ecdsa', '-N', '', '-f', 'ecdsa');
    const ecdsa = readFileSync(join(dir, 'ecdsa.pub'), 'utf8').trim();
    const file = signersFile('ecdsa', `dev@example.com ${ecdsa}`);
    const repo = signedRepo('ed25519');
    await assert.rejects(readSource({ repo, verify: { allowedSigners: file } }), (err: Error) => {
      assert.equal(reasonOf(err), 'allowed-signers');
      assert.match(
        err.message,
        /line 1: key type ecdsa-sha2-nistp256 is not supported: Roster verifies ssh-ed25519 and ssh-rsa/,
      );
      return true;
    });
    const list = parseAllowedSigners(`a@x valid-before="2026130" ${keys.ed25519}\na@x frobnicate ${keys.ed25519}\n`);
    assert.deepEqual(list.problems, [
      'line 1: valid-before="2026130" is not a time: ssh-keygen writes YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]',
      'line 2: unknown option frobnicate (Roster honours namespaces, valid-after, valid-before)',
    ]);
  });

  it('reads ssh-keygen times: dates, minutes, seconds, Z for UTC, else local time; refuses impossible dates', () => {
    assert.equal(parseSshTime('20270115Z')?.toISOString(), '2027-01-15T00:00:00.000Z');
    assert.equal(parseSshTime('202701151230Z')?.toISOString(), '2027-01-15T12:30:00.000Z');
    assert.equal(parseSshTime('20270115123045Z')?.toISOString(), '2027-01-15T12:30:45.000Z');
    assert.equal(parseSshTime('20270115')?.getTime(), new Date(2027, 0, 15).getTime());
    assert.equal(parseSshTime('20271315Z'), undefined);
    assert.equal(parseSshTime('2027-01-15'), undefined);
  });

  it('roster apply on a commit by an expired signer exits 2 and sends no request to any cluster', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests += 1;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const repo = signedRepo('rsa');
      // A Cluster for the apply to target, committed and signed too.
      writeFileSync(
        join(repo, 'cluster.yaml'),
        'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: c1}\nspec: {context: c1}\n',
      );
      const git = signingGit(repo, 'rsa');
      git('add', 'cluster.yaml');
      git('commit', '-q', '-S', '-m', 'cluster');
      const kubeconfig = join(dir, 'kubeconfig');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      writeFileSync(
        kubeconfig,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c1', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
          users: [{ name: 'u', user: { token: 'not-a-real-token' } }],
          contexts: [{ name: 'c1', context: { cluster: 'c1', user: 'u' } }],
        }),
        { mode: 0o600 },
      );
      const expired = signersFile(
        'expired',
        `dev@example.com valid-before="${stamp(new Date(Date.now() - DAY))}" ${keys.rsa}`,
      );
      let text = '';
      const io = { out: (t: string) => void (text += t), err: (t: string) => void (text += t), color: false };
      const args = [
        'apply',
        '--repo',
        repo,
        '--kubeconfig',
        kubeconfig,
        '--verify-signatures',
        '--allowed-signers',
        expired,
      ];
      const code = await roster(args, io);
      assert.equal(code, 2, text);
      assert.match(
        text,
        new RegExp(
          String.raw`refusing the commit: commit [0-9a-f]{12}: signed by SSH key SHA256:\S+ \(dev@example\.com\), ` +
            String.raw`which is expired at`,
        ),
      );
      assert.equal(requests, 0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSource } from '../../../src/source/index.js';
import { reasonOf } from '../../../src/source/errors.js';
import { parseAllowedSigners } from '../../../src/source/verify/allowed-signers.js';
import { TestRepo } from '../../support/git/repo.js';
import { pgpKey, sshKey, type PgpTestKey, type SshTestKey } from '../../support/git/sign.js';

const FILE = { 'teams/t.yaml': 'apiVersion: roster/v1\nkind: Team\nmetadata: {name: t}\nspec: {}\n' };
let n = 0;
const change = (): Record<string, string> => ({ 'teams/t.yaml': `${FILE['teams/t.yaml']}# ${++n}\n` });

describe('source: signed commits', function () {
  this.timeout(20_000);
  let repo: TestRepo;
  let dir: string;
  let signers: string;
  let ssh: SshTestKey;
  let pgp: PgpTestKey;
  let stranger: SshTestKey;
  let strangerPgp: PgpTestKey;

  before(async () => {
    repo = await TestRepo.create();
    dir = await mkdtemp(join(tmpdir(), 'roster-signers-'));
    [ssh, stranger, pgp, strangerPgp] = [
      sshKey(),
      sshKey(),
      await pgpKey('Bea', 'bea@example.com'),
      await pgpKey('Eve', 'eve@example.com'),
    ];
    signers = join(dir, 'allowed_signers');
    await writeFile(
      signers,
      `# who may sign config commits\nada@example.com namespaces="git" ${ssh.publicLine} ada-laptop\n` +
        `${pgp.publicArmored}`,
    );
  });
  after(async () => Promise.all([repo.remove(), rm(dir, { recursive: true, force: true })]));

  const read = (ref?: string) =>
    readSource({ repo: repo.dir, verify: { allowedSigners: signers }, ...(ref ? { ref } : {}) });
  async function refused(reason: string, pattern: RegExp): Promise<void> {
    await assert.rejects(read(), (err: Error) => {
      assert.equal(reasonOf(err), reason, err.message);
      assert.match(err.message, pattern);
      return true;
    });
  }

  it('accepts an SSH-signed commit from an allowed signer and names the signer', async () => {
    const oid = await repo.commit(change(), { message: 'ssh signed', onSign: ssh.onSign });
    const snap = await read();
    assert.equal(snap.commit, oid);
    assert.match(snap.signer ?? '', /^ada@example\.com \(SHA256:[A-Za-z0-9+/]{43}\) on commit [0-9a-f]{12}$/);
  });

  it('accepts an OpenPGP-signed commit from an allowed key', async () => {
    await repo.commit(change(), { message: 'pgp signed', onSign: pgp.onSign });
    assert.match((await read()).signer ?? '', /^Bea <bea@example\.com> \([0-9a-f]{16}\) on commit/);
  });

  it('refuses an unsigned commit', async () => {
    await repo.commit(change(), { message: 'unsigned' });
    await refused(
      'unsigned',
      /refusing the commit: commit [0-9a-f]{12}: no signature \(signature verification is on\)/,
    );
  });

  it('refuses commits signed by keys that are not allowed', async () => {
    await repo.commit(change(), { message: 'stranger', onSign: stranger.onSign });
    await refused('unknown-signer', /signed by SSH key SHA256:\S+, which is not an allowed signer/);
    await repo.commit(change(), { message: 'stranger pgp', onSign: strangerPgp.onSign });
    await refused('unknown-signer', /signed by OpenPGP key [0-9a-f]{16}, which is not an allowed signer/);
  });

  it('refuses a signature that does not match the commit', async () => {
    await repo.commit(change(), {
      message: 'forged',
      onSign: ({ payload, secretKey }) => ssh.onSign({ payload: payload + 'x', secretKey }),
    });
    await refused('bad-signature', /SSH signature by SHA256:\S+ does not match the content/);
    await repo.commit(change(), {
      message: 'forged pgp',
      onSign: ({ payload, secretKey }) => pgp.onSign({ payload: payload.replace('forged', 'f0rged'), secretKey }),
    });
    await refused('bad-signature', /OpenPGP signature does not verify/);
  });

  it('accepts an unsigned commit when the annotated tag naming it is signed', async () => {
    await repo.commit(change(), { message: 'unsigned, tagged' });
    await repo.tag('release-1', { message: 'release 1', onSign: ssh.onSign });
    assert.match((await read('release-1')).signer ?? '', /on tag release-1$/);
    await assert.rejects(read(), (err) => reasonOf(err) === 'unsigned');
  });

  it('refuses a key whose allowed namespaces exclude git', async () => {
    const list = parseAllowedSigners(`a@x namespaces="file" ${ssh.publicLine}\n`);
    assert.deepEqual(list.ssh[0]?.namespaces, ['file']);
    const fileOnly = join(dir, 'file-only');
    await writeFile(fileOnly, `ada@example.com namespaces="file" ${ssh.publicLine}\n`);
    await repo.commit(change(), { message: 'ssh signed again', onSign: ssh.onSign });
    await assert.rejects(
      readSource({ repo: repo.dir, verify: { allowedSigners: fileOnly } }),
      (e) => reasonOf(e) === 'unknown-signer',
    );
  });

  it('reports an unreadable or malformed allowed signers file', async () => {
    await assert.rejects(
      readSource({ repo: repo.dir, verify: { allowedSigners: join(dir, 'missing') } }),
      (e) => reasonOf(e) === 'allowed-signers',
    );
    const bad = join(dir, 'bad');
    await writeFile(bad, 'ada@example.com ssh-ed25519\n');
    await assert.rejects(
      readSource({ repo: repo.dir, verify: { allowedSigners: bad } }),
      /bad: line 1: expected "principals \[options\] keytype base64-key"/,
    );
  });
});

describe('source: SSH signatures interoperate with git and ssh-keygen', function () {
  this.timeout(20_000);
  // These tests prove interoperability with the real tools, so their absence is a failure, never a skip.
  before(function () {
    assert.equal(spawnSync('git', ['--version']).status, 0, 'git is needed for this test: apt-get install git');
    assert.notEqual(
      spawnSync('ssh-keygen', ['-h']).status,
      127,
      'ssh-keygen is needed for this test: apt-get install openssh-client',
    );
  });

  it('verifies a commit signed by `git commit -S` with an ssh-keygen key', async function () {
    const dir = await mkdtemp(join(tmpdir(), 'roster-gitsign-'));
    try {
      const run = (...args: string[]) => {
        const r = spawnSync(args[0] ?? '', args.slice(1), { cwd: dir, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout;
      };
      run('ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key'));
      const pub = (await import('node:fs')).readFileSync(join(dir, 'key.pub'), 'utf8').trim();
      await writeFile(join(dir, 'allowed_signers'), `dev@example.com ${pub}\n`);
      run('git', 'init', '-q', '-b', 'main', 'repo');
      const git = (...a: string[]) =>
        run(
          'git',
          '-C',
          'repo',
          '-c',
          'user.name=Dev',
          '-c',
          'user.email=dev@example.com',
          '-c',
          'gpg.format=ssh',
          '-c',
          `user.signingkey=${join(dir, 'key')}`,
          ...a,
        );
      await writeFile(join(dir, 'repo', 'a.yaml'), 'a: 1\n');
      git('add', 'a.yaml');
      git('commit', '-q', '-S', '-m', 'signed by git');
      const snap = await readSource({
        repo: join(dir, 'repo'),
        verify: { allowedSigners: join(dir, 'allowed_signers') },
      });
      assert.match(snap.signer ?? '', /^dev@example\.com \(SHA256:/);
      // and git accepts what Roster's test signer writes
      const ours = sshKey();
      const repo = await TestRepo.create();
      try {
        await repo.commit(FILE, { message: 'signed by test signer', onSign: ours.onSign });
        await writeFile(join(dir, 'ours'), `t@example.com ${ours.publicLine}\n`);
        const r = spawnSync(
          'git',
          ['-C', repo.dir, '-c', `gpg.ssh.allowedSignersFile=${join(dir, 'ours')}`, 'verify-commit', 'HEAD'],
          { encoding: 'utf8' },
        );
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /Good "git" signature for t@example.com/);
      } finally {
        await repo.remove();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

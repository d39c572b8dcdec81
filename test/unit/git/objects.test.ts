import assert from 'node:assert/strict';
import { parseCommit, parsePerson, parseTag } from '../../../src/git/objects.js';
import { parseAllowedSigners } from '../../../src/source/verify/allowed-signers.js';

const SIG = ['-----BEGIN SSH SIGNATURE-----', 'U1NIU0lH', '', 'AAAA', '-----END SSH SIGNATURE-----'];
const COMMIT = [
  'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  'parent 1111111111111111111111111111111111111111',
  'author Ada Admin <ada@example.com> 1735689600 +0100',
  'committer Ben Builder <ben@example.com> 1735689660 +0000',
  `gpgsig ${SIG[0]}`,
  ...SIG.slice(1).map((l) => ` ${l}`),
  '',
  'Grant alice editor',
  '',
  'Because.',
  '',
].join('\n');

describe('git objects', () => {
  it('splits a signed commit into its fields, signature and exact signed payload', () => {
    const c = parseCommit('abc', COMMIT);
    assert.equal(c.tree, '4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    assert.deepEqual(c.parents, ['1111111111111111111111111111111111111111']);
    assert.deepEqual(c.author, { name: 'Ada Admin', email: 'ada@example.com', date: new Date('2025-01-01T00:00:00Z') });
    assert.equal(c.committer.name, 'Ben Builder');
    assert.equal(c.message, 'Grant alice editor\n\nBecause.\n');
    assert.equal(c.signed?.signature, `${SIG.join('\n')}\n`);
    assert.equal(c.signed?.payload, COMMIT.replace(/gpgsig [^\n]*\n( [^\n]*\n)+/, ''));
    assert.doesNotMatch(c.signed?.payload ?? '', /gpgsig|SSH SIGNATURE/);
  });

  it('reads an unsigned commit without a signature', () => {
    const c = parseCommit('abc', COMMIT.replace(/gpgsig [^\n]*\n( [^\n]*\n)+/, ''));
    assert.equal(c.signed, undefined);
  });

  it('splits a signed annotated tag at its signature', () => {
    const body =
      'object 2222222222222222222222222222222222222222\ntype commit\ntag v1\n' +
      'tagger Ada Admin <ada@example.com> 1735689600 +0000\n\nrelease 1\n';
    const t = parseTag('t1', `${body}${SIG.join('\n')}\n`);
    assert.equal(t.name, 'v1');
    assert.equal(t.commit, '2222222222222222222222222222222222222222');
    assert.equal(t.message, 'release 1\n');
    assert.deepEqual(t.signed, { payload: body, signature: `${SIG.join('\n')}\n` });
  });

  it('parses people with odd names', () => {
    assert.deepEqual(parsePerson('<x@y> 0 +0000'), { name: '', email: 'x@y', date: new Date(0) });
    assert.equal(parsePerson('garbage').email, '');
  });
});

describe('allowed signers', () => {
  it('reads ssh-keygen lines with options, comments and OpenPGP blocks', () => {
    const pgp = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ\n-----END PGP PUBLIC KEY BLOCK-----';
    const list = parseAllowedSigners(
      `# team leads\na@x.com,b@x.com namespaces="git",valid-after="20250101Z" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ` +
        `comment here\n${pgp}\nc@x.com ssh-rsa AAAAB3NzaC1yc2E=\n`,
    );
    assert.deepEqual(
      list.ssh.map((s) => [s.principals, s.keyType, s.namespaces, s.validAfter?.toISOString(), s.line]),
      [
        [['a@x.com', 'b@x.com'], 'ssh-ed25519', ['git'], '2025-01-01T00:00:00.000Z', 2],
        [['c@x.com'], 'ssh-rsa', undefined, undefined, 7],
      ],
    );
    assert.deepEqual(list.pgp, [pgp]);
    assert.deepEqual(list.problems, []);
  });

  it('reports lines it cannot trust instead of skipping them', () => {
    const list = parseAllowedSigners('a@x cert-authority ssh-ed25519 AAAA\nb@x\n');
    assert.deepEqual(list.problems, [
      'line 1: cert-authority lines are not supported',
      'line 2: expected "principals [options] keytype base64-key"',
    ]);
  });
});

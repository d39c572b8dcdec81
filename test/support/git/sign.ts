/**
 * Signing commits in tests, through isomorphic-git's `onSign`: OpenPGP with keys from openpgp.generateKey, and SSH
 * (SSHSIG, the format `git commit -S` writes with gpg.format=ssh) with ed25519 keys from node:crypto.
 */

import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { SignCallback } from 'isomorphic-git';
import * as openpgp from 'openpgp';
import { wireString } from '../../../src/source/verify/sshsig.js';

export interface SshTestKey {
  /** `ssh-ed25519 AAAA…`, as in an allowed_signers line. */
  publicLine: string;
  onSign: SignCallback;
}

export function sshKey(): SshTestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const blob = Buffer.concat([wireString('ssh-ed25519'), wireString(raw)]);
  return {
    publicLine: `ssh-ed25519 ${blob.toString('base64')}`,
    onSign: ({ payload }) => ({ signature: sshsig(payload, blob, privateKey) }),
  };
}

function sshsig(payload: string, publicBlob: Buffer, privateKey: KeyObject): string {
  const magic = Buffer.from('SSHSIG');
  const digest = createHash('sha512').update(payload).digest();
  const signed = Buffer.concat([magic, wireString('git'), wireString(''), wireString('sha512'), wireString(digest)]);
  const signature = Buffer.concat([wireString('ssh-ed25519'), wireString(sign(null, signed, privateKey))]);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  const blob = Buffer.concat([
    magic,
    version,
    wireString(publicBlob),
    wireString('git'),
    wireString(''),
    wireString('sha512'),
    wireString(signature),
  ]);
  const lines = blob.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN SSH SIGNATURE-----\n${lines.join('\n')}\n-----END SSH SIGNATURE-----\n`;
}

export interface PgpTestKey {
  publicArmored: string;
  onSign: SignCallback;
}

export async function pgpKey(name: string, email: string): Promise<PgpTestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'curve25519',
    userIDs: [{ name, email }],
    format: 'armored',
  });
  const key = await openpgp.readPrivateKey({ armoredKey: privateKey });
  return {
    publicArmored: publicKey,
    onSign: async ({ payload }) => {
      const message = await openpgp.createMessage({ binary: new TextEncoder().encode(payload) });
      return {
        signature: String(await openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored' })),
      };
    },
  };
}

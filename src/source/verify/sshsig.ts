/**
 * SSH signatures as Git writes them (`gpg.format=ssh`): the SSHSIG format of OpenSSH's PROTOCOL.sshsig, checked with
 * node:crypto. Supported keys: ssh-ed25519 and ssh-rsa (rsa-sha2-256 / rsa-sha2-512 signatures).
 */

import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { sourceError } from '../errors.js';

export interface SshSignature {
  /** The signer's public key blob, to look up in the allowed signers. */
  publicKey: Buffer;
  keyType: string;
  namespace: string;
  hashAlgorithm: string;
  signatureType: string;
  signature: Buffer;
}

const MAGIC = Buffer.from('SSHSIG');
const ARMOR = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/;

/** Throws an Error with a plain reason when the text is not a well-formed SSHSIG. */
export function parseSshSignature(armored: string): SshSignature {
  const body = ARMOR.exec(armored)?.[1];
  if (body === undefined) throw sourceError('unsupported-signature', 'not an SSH signature');
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (!bytes.subarray(0, 6).equals(MAGIC) || bytes.readUInt32BE(6) !== 1)
    throw sourceError('unsupported-signature', 'not an SSHSIG version 1 blob');
  const reader = new WireReader(bytes, 10);
  const publicKey = reader.string();
  const namespace = reader.string().toString();
  reader.string(); // reserved
  const hashAlgorithm = reader.string().toString();
  const sig = new WireReader(reader.string(), 0);
  const signatureType = sig.string().toString();
  return {
    publicKey,
    keyType: new WireReader(publicKey, 0).string().toString(),
    namespace,
    hashAlgorithm,
    signatureType,
    signature: sig.string(),
  };
}

/** True when `sig` signs `payload` in `namespace` with the key it names. */
export function verifySshSignature(sig: SshSignature, payload: string | Buffer, namespace: string): boolean {
  if (sig.namespace !== namespace) return false;
  if (sig.hashAlgorithm !== 'sha256' && sig.hashAlgorithm !== 'sha512')
    throw sourceError('unsupported-signature', `unsupported hash ${sig.hashAlgorithm}`);
  const digest = createHash(sig.hashAlgorithm).update(payload).digest();
  const signed = Buffer.concat([
    MAGIC,
    wireString(namespace),
    wireString(''),
    wireString(sig.hashAlgorithm),
    wireString(digest),
  ]);
  const key = publicKeyObject(sig.publicKey);
  const hash =
    sig.signatureType === 'ssh-ed25519'
      ? null
      : { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' }[sig.signatureType];
  if (hash === undefined) throw sourceError('unsupported-signature', `unsupported signature type ${sig.signatureType}`);
  return verify(hash, signed, key, sig.signature);
}

/** `SHA256:…` as ssh-keygen -l prints it. */
export function fingerprint(publicKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKey).digest('base64').replace(/=+$/, '')}`;
}

function publicKeyObject(blob: Buffer): KeyObject {
  const reader = new WireReader(blob, 0);
  const type = reader.string().toString();
  if (type === 'ssh-ed25519')
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(reader.string()) }, format: 'jwk' });
  if (type === 'ssh-rsa') {
    const e = reader.string();
    const n = reader.string();
    return createPublicKey({ key: { kty: 'RSA', e: b64url(stripZero(e)), n: b64url(stripZero(n)) }, format: 'jwk' });
  }
  throw sourceError('unsupported-signature', `unsupported key type ${type}`);
}

export function wireString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

class WireReader {
  constructor(
    private readonly bytes: Buffer,
    private offset: number,
  ) {}

  string(): Buffer {
    if (this.offset + 4 > this.bytes.length) throw sourceError('unsupported-signature', 'truncated SSH signature');
    const length = this.bytes.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.bytes.length) throw sourceError('unsupported-signature', 'truncated SSH signature');
    this.offset = start + length;
    return this.bytes.subarray(start, this.offset);
  }
}

function stripZero(mpint: Buffer): Buffer {
  return mpint[0] === 0 ? mpint.subarray(1) : mpint;
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

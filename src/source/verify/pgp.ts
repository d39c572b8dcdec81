/** OpenPGP signatures on commits and tags (`gpg.format=openpgp`, Git's default), checked with the openpgp package. */

import * as openpgp from 'openpgp';

export type PgpVerdict =
  | { kind: 'valid'; signer: string }
  | { kind: 'unknown-signer'; keyIds: string[] }
  | { kind: 'bad-signature'; detail: string };

export async function readAllowedPgpKeys(armoredBlocks: readonly string[]): Promise<openpgp.Key[]> {
  const keys = await Promise.all(armoredBlocks.map((armoredKeys) => openpgp.readKeys({ armoredKeys })));
  return keys.flat();
}

export async function verifyPgp(
  armoredSignature: string,
  payload: string,
  keys: readonly openpgp.Key[],
): Promise<PgpVerdict> {
  const signature = await openpgp.readSignature({ armoredSignature });
  const issuers = signature.getSigningKeyIDs();
  const key = keys.find((k) => k.getKeyIDs().some((id) => issuers.some((issuer) => issuer.equals(id))));
  if (!key) return { kind: 'unknown-signer', keyIds: issuers.map((id) => id.toHex()) };
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(payload) });
  const { signatures } = await openpgp.verify({ message, signature, verificationKeys: [key], format: 'binary' });
  try {
    await signatures[0]?.verified;
    if (!signatures[0]) return { kind: 'bad-signature', detail: 'no signature packet' };
    return { kind: 'valid', signer: `${key.getUserIDs()[0] ?? 'OpenPGP key'} (${key.getKeyID().toHex()})` };
  } catch (err) {
    return { kind: 'bad-signature', detail: err instanceof Error ? err.message : String(err) };
  }
}

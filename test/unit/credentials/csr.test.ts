import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { certificationRequest, newKeyAndRequest } from '../../../src/credentials/csr.js';
import { objectIdentifier } from '../../../src/credentials/der.js';

/** A minimal DER reader, enough to take a PKCS#10 request apart again. */
function read(buf: Buffer, at = 0): { tag: number; head: number; start: number; end: number } {
  const tag = buf[at]!;
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  return { tag, head: at, start, end: start + len };
}
function children(buf: Buffer, node: { start: number; end: number }) {
  const out = [];
  for (let at = node.start; at < node.end;) {
    const child = read(buf, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

describe('PKCS#10 certificate requests', () => {
  it('encodes object identifiers as X.690 says', () => {
    assert.equal(objectIdentifier('2.5.4.3').toString('hex'), '0603550403');
    assert.equal(objectIdentifier('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
  });

  it('is signed by the key it carries, and names the user as CN and each group as O', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const subject = { commonName: 'oidc:alice@example.com', organizations: ['oidc:payments-eng', 'ops'] };
    const der = certificationRequest(subject, privateKey, publicKey);
    const [info, algorithm, signature] = children(der, read(der));
    const infoBytes = der.subarray(info!.head, info!.end);
    assert.equal(info!.tag, 0x30);
    const sig = der.subarray(signature!.start + 1, signature!.end); // BIT STRING: skip the unused-bits byte
    assert.ok(verify('sha256', infoBytes, publicKey, sig), 'the signature verifies over certificationRequestInfo');
    assert.equal(der.subarray(algorithm!.start, algorithm!.end).toString('hex'), '06082a8648ce3d040302');
    const text = der.toString('latin1');
    for (const value of ['oidc:alice@example.com', 'oidc:payments-eng', 'ops']) assert.ok(text.includes(value), value);
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    assert.ok(der.includes(spki), 'the public key is the one given');
  });

  it('gives a PEM request and a PKCS#8 key that belong together', () => {
    const made = newKeyAndRequest({ commonName: 'bob@example.com', organizations: [] });
    assert.match(
      made.requestPem,
      /^-----BEGIN CERTIFICATE REQUEST-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE REQUEST-----\n$/,
    );
    assert.match(made.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    const der = Buffer.from(made.requestPem.replace(/-----[A-Z ]+-----|\n/g, ''), 'base64');
    const spki = createPublicKey(made.privateKeyPem).export({ type: 'spki', format: 'der' });
    assert.ok(der.includes(spki));
  });
});

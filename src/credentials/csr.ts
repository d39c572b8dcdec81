/**
 * A fresh key pair and a PKCS#10 certificate request for it, made on this machine: the private key never leaves the
 * process except into the kubeconfig file Roster writes. ECDSA P-256 (small, fast to generate, accepted by every
 * Kubernetes signer); the request is signed with ECDSA-with-SHA256. Built with node:crypto and a few lines of DER
 * (der.ts) rather than a certificate library: a request is a fixed, small structure.
 */

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { bitString, emptyContext0, integerZero, objectIdentifier, sequence, set, utf8String } from './der.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export interface RequestSubject {
  /** The user name Kubernetes will see (CN). */
  commonName: string;
  /** The groups Kubernetes will see (one O each), in order. */
  organizations: string[];
}

export interface KeyAndRequest {
  /** PKCS#8 PEM; a credential: only ever written into a 0600 file. */
  privateKeyPem: string;
  /** PEM `CERTIFICATE REQUEST`: public data (subject and public key). */
  requestPem: string;
}

export function newKeyAndRequest(subject: RequestSubject): KeyAndRequest {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    requestPem: pem('CERTIFICATE REQUEST', certificationRequest(subject, privateKey, publicKey)),
  };
}

/** RFC 2986: CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature }. */
export function certificationRequest(subject: RequestSubject, privateKey: KeyObject, publicKey: KeyObject): Buffer {
  const info = sequence(
    integerZero(),
    name(subject),
    publicKey.export({ type: 'spki', format: 'der' }),
    emptyContext0(),
  );
  const signature = sign('sha256', info, privateKey); // DER ECDSA-Sig-Value, as X.509 wants it
  return sequence(info, sequence(objectIdentifier(OID.ecdsaWithSha256)), bitString(signature));
}

/** O=… for each group, then CN=user: one attribute per relative distinguished name. */
function name(subject: RequestSubject): Buffer {
  const rdn = (oid: string, value: string): Buffer => set(sequence(objectIdentifier(oid), utf8String(value)));
  return sequence(
    ...subject.organizations.map((o) => rdn(OID.organization, o)),
    rdn(OID.commonName, subject.commonName),
  );
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

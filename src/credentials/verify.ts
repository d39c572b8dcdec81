/**
 * What the signer handed back is checked before anything is written: it must be the certificate for our key, name
 * the user and groups asked for, and end no later than the user's earliest grant expiry. A certificate that fails
 * is never written; its key stays in memory and is gone when the process ends.
 */

import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Secret } from '../cluster/index.js';
import { formatTime } from '../time.js';
import { CredentialError } from './errors.js';
import type { UserCertificatePlan } from './user.js';

export interface CheckedCertificate {
  notAfter: Date;
  notBefore: Date;
}

export function checkIssued(
  certificate: Secret,
  privateKeyPem: Secret,
  plan: UserCertificatePlan,
  where: { user: string; cluster: string },
): CheckedCertificate {
  const cert = new X509Certificate(certificate.reveal());
  const refuse = (why: string): never => {
    throw new CredentialError(
      'beyond-expiry',
      `user ${where.user}: cluster ${where.cluster} issued ${why}; nothing was written`,
      where,
    );
  };
  if (!cert.checkPrivateKey(createPrivateKey(privateKeyPem.reveal()))) refuse('a certificate for another key');
  const subject = parseSubject(cert.subject);
  const wanted = [...plan.organizations].sort().join(',');
  if (subject.cn !== plan.commonName || [...subject.o].sort().join(',') !== wanted)
    refuse('a certificate for another subject');
  const notAfter = new Date(cert.validTo);
  if (plan.grantExpiry && notAfter.getTime() > plan.grantExpiry.getTime())
    refuse(
      `a certificate valid until ${formatTime(notAfter)}, after the user's access ends ` +
        `(${formatTime(plan.grantExpiry)})`,
    );
  return { notAfter, notBefore: new Date(cert.validFrom) };
}

/** Node prints the subject one `KEY=value` per line. */
function parseSubject(text: string): { cn?: string; o: string[] } {
  const out: { cn?: string; o: string[] } = { o: [] };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'CN') out.cn = value;
    if (key === 'O') out.o.push(value);
  }
  return out;
}

/**
 * Secrets of one control-plane run: bearer tokens for the test identities, a service-account signing key and the
 * cluster-signing CA.
 * All are random per run, written to files of mode 0600, and never logged.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestUser {
  /** The username the apiserver sees, e.g. `alice@example.com`. */
  name: string;
  /** The short name used in contexts (`alice@east`) and in `{ as: 'alice' }`. */
  short: string;
  groups: string[];
  token: string;
}

/** Admin first, then the people the integration tests grant and revoke access for. */
export function makeUsers(): TestUser[] {
  const people: Omit<TestUser, 'token'>[] = [
    { name: 'admin', short: 'admin', groups: ['system:masters'] },
    { name: 'alice@example.com', short: 'alice', groups: ['payments-eng'] },
    { name: 'bob@example.com', short: 'bob', groups: ['ops'] },
    { name: 'carol@example.com', short: 'carol', groups: [] },
  ];
  return people.map((p) => ({ ...p, token: randomBytes(24).toString('base64url') }));
}

/** `--token-auth-file`: token,user,uid[,"group1,group2"]. */
export function writeTokenFile(path: string, users: TestUser[]): void {
  const line = (u: TestUser): string => {
    const base = `${u.token},${u.name},${randomUUID()}`;
    return u.groups.length === 0 ? base : `${base},"${u.groups.join(',')}"`;
  };
  writeFileSync(path, users.map(line).join('\n') + '\n', { mode: 0o600 });
}

/** A fresh RSA key pair for `--service-account-signing-key-file` (private) and `--service-account-key-file`
 * (public). */
export function writeServiceAccountKeys(dir: string): { privateKeyPath: string; publicKeyPath: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const privateKeyPath = join(dir, 'sa.key');
  const publicKeyPath = join(dir, 'sa.pub');
  writeFileSync(privateKeyPath, privateKey, { mode: 0o600 });
  writeFileSync(publicKeyPath, publicKey, { mode: 0o600 });
  return { privateKeyPath, publicKeyPath };
}

/**
 * The cluster-signing CA: kube-controller-manager signs approved CertificateSigningRequests with it
 * (`--cluster-signing-cert-file`/`--cluster-signing-key-file`) and kube-apiserver trusts client certificates it
 * signed (`--client-ca-file`), as on a kubeadm cluster. ECDSA P-256, valid for two days (a run is minutes long).
 * Made with openssl, which every machine that builds the control plane has.
 */
export function writeSigningCa(dir: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, 'signing-ca.crt');
  const keyPath = join(dir, 'signing-ca.key');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-subj',
    '/CN=roster-test-cluster-signing-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ];
  const res = spawnSync('openssl', args, { encoding: 'utf8' }); // the cluster folder is 0700
  if (res.status !== 0) {
    const why = res.error ? res.error.message : String(res.stderr).trim();
    throw new Error(`openssl could not make the cluster-signing CA (install openssl): ${why}`);
  }
  chmodSync(keyPath, 0o600);
  return { certPath, keyPath };
}

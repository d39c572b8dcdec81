/**
 * Secrets of one control-plane run: bearer tokens for the test identities and a service-account signing key.
 * All are random per run, written to files of mode 0600, and never logged.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
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

/** A fresh RSA key pair for `--service-account-signing-key-file` (private) and `--service-account-key-file` (public). */
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

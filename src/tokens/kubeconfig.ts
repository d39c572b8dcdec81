/**
 * The kubeconfig `roster token kubeconfig` hands out: one cluster (server and CA copied from the operator's
 * kubeconfig), one user holding the minted token, one context. Written through a fresh 0600 temp file renamed into
 * place, so the token is never readable by others, not even for a moment, and a half-written file never exists.
 */

import { formatTime } from '../time.js';
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterEntry, Secret } from '../cluster/index.js';
import { TokenError } from './errors.js';

export interface TokenKubeconfig {
  cluster: string;
  entry: ClusterEntry;
  token: string;
  /** The ServiceAccount's token; revealed only into the returned text. */
  secret: Secret;
  expires: Date;
  /** The context's default namespace, when the token is granted one there. */
  namespace?: string;
}

export function renderKubeconfig(k: TokenKubeconfig): string {
  const user = `roster-token-${k.token}`;
  const context = `${k.token}@${k.cluster}`;
  const cluster: Record<string, unknown> = { server: k.entry.server };
  if (k.entry.certificateAuthorityData) cluster['certificate-authority-data'] = k.entry.certificateAuthorityData;
  if (k.entry.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  if (k.entry.tlsServerName) cluster['tls-server-name'] = k.entry.tlsServerName;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster }],
    users: [{ name: user, user: { token: k.secret.reveal() } }],
    contexts: [
      { name: context, context: { cluster: k.cluster, user, ...(k.namespace ? { namespace: k.namespace } : {}) } },
    ],
    'current-context': context,
  };
  const header =
    `# Roster access token ${k.token} on cluster ${k.cluster}, ` +
    `valid until ${formatTime(k.expires)}.\n# Keep this file private: it is a credential.\n`;
  return header + stringify(doc, { lineWidth: 0 });
}

/** Writes `text` to `file` with mode 0600. Refuses to replace an existing file unless `overwrite`. */
export async function writePrivateFile(file: string, text: string, opts: { overwrite: boolean }): Promise<void> {
  if (!opts.overwrite && (await exists(file))) {
    throw new TokenError('exists', `${file}: already exists; choose another -o FILE or pass --force to replace it`, {
      file,
    });
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

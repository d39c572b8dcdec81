/**
 * The kubeconfig `roster token kubeconfig` hands out: one cluster (server and CA copied from the operator's
 * kubeconfig), one user holding the minted token, one context. Written through a fresh 0600 temp file renamed into
 * place, so the token is never readable by others, not even for a moment, and a half-written file never exists.
 */

import { formatTime } from '../time.js';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, rename, rm, stat } from 'node:fs/promises';
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

/**
 * Can `file` take a new credential file? Checked before anything is minted, because a token or certificate that
 * cannot be saved was issued for nothing (and a certificate cannot be revoked). Exit 2 naming `-o` and the fix:
 * a directory, a folder that does not exist or is not writable, or an existing file without `overwrite`.
 */
export async function checkOutputFile(file: string, opts: { overwrite: boolean; example: string }): Promise<void> {
  const refuse = (problem: string, hint: string): never => {
    throw new TokenError('output', `-o ${file}: ${problem}; ${hint}`, { file });
  };
  if (file.length === 0) refuse('no file named', `name one, like -o ${opts.example}`);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory() || (!existing && /[\\/]$/.test(file)))
    refuse('is a directory', `name a file inside it, like -o ${join(file, opts.example)}`);
  if (existing && !opts.overwrite)
    throw new TokenError('exists', `${file}: already exists; choose another -o FILE or pass --force to replace it`, {
      file,
    });
  const folder = dirname(file);
  const where = await stat(folder).catch((err: { code?: string }) => err.code ?? 'unreadable');
  if (typeof where === 'string')
    refuse(
      where === 'ENOENT' ? `the folder ${folder} does not exist` : `the folder ${folder} cannot be read (${where})`,
      'create it first, or choose another -o FILE',
    );
  else if (!where.isDirectory()) refuse(`${folder} is not a folder`, 'choose another -o FILE');
  await access(folder, constants.W_OK).catch((err: { code?: string }) =>
    refuse(`the folder ${folder} is not writable (${err.code ?? 'denied'})`, 'choose another -o FILE'),
  );
}

/**
 * Writes `text` to `file` with mode 0600, through a fresh temp file renamed into place. Refuses to replace an existing
 * file unless `overwrite`. A failure leaves no temp file and is reported naming the file (never its content).
 */
export async function writePrivateFile(file: string, text: string, opts: { overwrite: boolean }): Promise<void> {
  await checkOutputFile(file, { ...opts, example: basename(file) || 'NAME.kubeconfig' });
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600).catch((err: { code?: string }) => {
    throw new TokenError('output', `-o ${file}: cannot be written (${err.code ?? 'unknown error'})`, { file });
  });
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    const code = (err as { code?: string }).code ?? 'unknown error';
    throw new TokenError('output', `-o ${file}: cannot be written (${code}); nothing was written`, { file });
  }
}

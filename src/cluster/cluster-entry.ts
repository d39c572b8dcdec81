/**
 * Where a cluster is and how to trust it, from the operator's kubeconfig: the server URL and CA of the context's
 * cluster entry, for kubeconfigs Roster writes (`roster token kubeconfig`). Credentials of that context are never
 * read here, and messages name the file and context only, never their contents.
 */

import { readFileSync } from 'node:fs';
import { ClusterError } from '../errors.js';
import { loadKubeConfig } from './kubeconfig.js';

export interface ClusterEntry {
  server: string;
  /** Base64 PEM, as `certificate-authority-data` takes it. */
  certificateAuthorityData?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
}

export interface ClusterEntryOptions {
  /** The Roster cluster name, for messages. */
  cluster: string;
  context: string;
  /** Default: KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
}

export async function readClusterEntry(opts: ClusterEntryOptions): Promise<ClusterEntry> {
  const kc = await loadKubeConfig(opts);
  const context = kc.getContextObject(opts.context);
  if (!context) throw new ClusterError(opts.cluster, `context "${opts.context}" not found in the kubeconfig`);
  const entry = kc.getCluster(context.cluster);
  if (!entry?.server) throw new ClusterError(opts.cluster, `context "${opts.context}" names no cluster server`);
  const out: ClusterEntry = { server: entry.server };
  const ca = entry.caData ?? (entry.caFile ? readCaFile(opts.cluster, entry.caFile) : undefined);
  if (ca) out.certificateAuthorityData = ca;
  if (entry.skipTLSVerify) out.insecureSkipTlsVerify = true;
  if (entry.tlsServerName) out.tlsServerName = entry.tlsServerName;
  return out;
}

function readCaFile(cluster: string, file: string): string {
  try {
    return readFileSync(file).toString('base64');
  } catch (err) {
    throw new ClusterError(
      cluster,
      `cannot read certificate-authority ${file}: ${(err as { code?: string }).code ?? 'unreadable'}`,
    );
  }
}

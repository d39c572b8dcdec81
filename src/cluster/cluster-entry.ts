/**
 * Where a cluster is and how to trust it, from the operator's kubeconfig: the server URL and CA of the context's
 * cluster entry, for kubeconfigs Roster writes (`roster token kubeconfig`). Credentials of that context are never
 * read here, and messages name the file and context only, never their contents.
 */

import { readFileSync } from 'node:fs';
import { KubeconfigError } from './errors.js';
import { requireContext } from './kubeconfig-check.js';
import { inspectKubeconfigs } from './kubeconfig-files.js';
import { kubeconfigFiles } from './kubeconfig-plain.js';
import { loadKubeConfig, serverOf } from './kubeconfig.js';

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
  const files = kubeconfigFiles(opts.kubeconfig);
  if (files.length > 0) requireContext(inspectKubeconfigs(files), opts.context);
  const file = files.length === 1 ? files[0] : undefined;
  const kc = await loadKubeConfig(opts);
  serverOf(kc, opts);
  const entry = kc.getCluster(kc.getContextObject(opts.context)!.cluster)!;
  const out: ClusterEntry = { server: entry.server };
  const ca =
    entry.caData ??
    (entry.caFile ? readCaFile(file ?? process.env.KUBECONFIG ?? '~/.kube/config', entry.caFile) : undefined);
  if (ca) out.certificateAuthorityData = ca;
  if (entry.skipTLSVerify) out.insecureSkipTlsVerify = true;
  if (entry.tlsServerName) out.tlsServerName = entry.tlsServerName;
  return out;
}

function readCaFile(kubeconfig: string, file: string): string {
  try {
    return readFileSync(file).toString('base64');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new KubeconfigError(kubeconfig, `cannot read its certificate-authority ${file}: ${code}`);
  }
}

/**
 * The kubeconfig `roster kubeconfig --user` hands out: one cluster (server and CA copied from the operator's
 * kubeconfig), one user holding the client certificate and its key, one context. Written like a token kubeconfig
 * (tokens/kubeconfig.ts): a fresh 0600 temp file renamed into place.
 */

import { stringify } from 'yaml';
import type { ClusterEntry, Secret } from '../cluster/index.js';
import { formatTime } from '../time.js';

export interface UserKubeconfig {
  cluster: string;
  entry: ClusterEntry;
  /** The user as written in Git (names the kubeconfig's user and context). */
  user: string;
  certificatePem: Secret;
  privateKeyPem: Secret;
  notAfter: Date;
}

export function renderUserKubeconfig(k: UserKubeconfig): string {
  const context = `${k.user}@${k.cluster}`;
  const cluster: Record<string, unknown> = { server: k.entry.server };
  if (k.entry.certificateAuthorityData) cluster['certificate-authority-data'] = k.entry.certificateAuthorityData;
  if (k.entry.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  if (k.entry.tlsServerName) cluster['tls-server-name'] = k.entry.tlsServerName;
  const base64 = (s: Secret): string => Buffer.from(s.reveal()).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster }],
    users: [
      {
        name: k.user,
        user: { 'client-certificate-data': base64(k.certificatePem), 'client-key-data': base64(k.privateKeyPem) },
      },
    ],
    contexts: [{ name: context, context: { cluster: k.cluster, user: k.user } }],
    'current-context': context,
  };
  const header = [
    `# Roster user certificate for ${k.user} on cluster ${k.cluster}, valid until ${formatTime(k.notAfter)}.`,
    '# Keep this file private: it is a credential. A certificate cannot be revoked before it expires',
    '# (kubernetes/kubernetes#18982); suspending the user in Git removes what it can do on the next apply.',
  ];
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}

/**
 * From a kubeconfig context to what one HTTPS request needs: the server URL, a keep-alive agent with the context's
 * TLS material, and the auth headers. Plain files (a token or client certificate, a CA) are read directly
 * (kubeconfig-plain.ts); client-node's KubeConfig reads everything else (exec plugins, auth providers, merging).
 * Nothing read here ever appears in a message: errors name the file and the context, never their contents.
 */

import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import { kubeconfigFile, readPlainKubeconfig } from './kubeconfig-plain.js';

export interface Endpoint {
  server: URL;
  agent: http.Agent;
  headers: Record<string, string>;
}

export interface EndpointOptions {
  cluster: string;
  context: string;
  kubeconfig?: string;
  maxSockets: number;
}

export async function endpointFor(opts: EndpointOptions): Promise<Endpoint> {
  // The common file shapes are read directly; client-node (slow to load) reads the rest.
  const plain = readPlainKubeconfig(kubeconfigFile(opts.kubeconfig), opts.context);
  if (plain) {
    const url = new URL(plain.server);
    return { server: url, agent: agentFor(url, plain.tls, opts.maxSockets), headers: authHeaders(plain.tls) };
  }
  const kc = await loadKubeConfig(opts);
  if (!kc.getContextObject(opts.context)) {
    throw new ClusterError(opts.cluster, `context "${opts.context}" not found in ${describeSource(opts.kubeconfig)}`);
  }
  kc.setCurrentContext(opts.context);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new ClusterError(opts.cluster, `context "${opts.context}" names no cluster server`);
  const tls: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(tls);
  } catch (err) {
    throw new ClusterError(opts.cluster, `cannot get credentials for context "${opts.context}": ${safeReason(err)}`);
  }
  const url = new URL(server);
  return { server: url, agent: agentFor(url, tls, opts.maxSockets), headers: authHeaders(tls) };
}

/**
 * The kubeconfig, read by client-node. The module is imported on first use: it takes ~0.4 s to load, and commands
 * that never contact a cluster (validate, build, diff, audit) should not pay for it.
 */
export async function loadKubeConfig(opts: { cluster: string; kubeconfig?: string }): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new ClusterError(opts.cluster, `cannot read ${describeSource(opts.kubeconfig)}: ${safeReason(err)}`);
  }
  return kc;
}

/** The current context of a kubeconfig file (`roster whoami --kubeconfig FILE` without --context). */
export async function currentContext(opts: { cluster: string; kubeconfig: string }): Promise<string> {
  const kc = await loadKubeConfig(opts);
  const context = kc.getCurrentContext();
  if (!context)
    throw new ClusterError(opts.cluster, `kubeconfig ${opts.kubeconfig} has no current-context; pass --context`);
  return context;
}

function describeSource(file: string | undefined): string {
  if (file) return `kubeconfig ${file}`;
  return process.env.KUBECONFIG
    ? `kubeconfig ${process.env.KUBECONFIG} (KUBECONFIG)`
    : 'the default kubeconfig (~/.kube/config)';
}

/** Only the error's code or class: parser messages quote the file's text, which may hold keys or tokens. */
function safeReason(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.name : 'unknown error';
}

function agentFor(url: URL, tls: https.RequestOptions, maxSockets: number): http.Agent {
  const common = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  if (url.protocol === 'http:') return new http.Agent(common);
  const agentOptions: https.AgentOptions = {
    ...common,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    pfx: tls.pfx,
    passphrase: tls.passphrase,
  };
  if (tls.rejectUnauthorized !== undefined) agentOptions.rejectUnauthorized = tls.rejectUnauthorized;
  if (tls.servername) agentOptions.servername = tls.servername;
  return new https.Agent(agentOptions);
}

function authHeaders(tls: https.RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(tls.headers ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  if (tls.auth) headers.Authorization = `Basic ${Buffer.from(tls.auth).toString('base64')}`;
  return headers;
}

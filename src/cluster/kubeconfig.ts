/**
 * From a kubeconfig context to what one HTTPS request needs: the server URL, a keep-alive agent with the context's
 * TLS material, and the auth headers. Plain files (a token or client certificate, a CA) are read directly
 * (kubeconfig-plain.ts); client-node's KubeConfig reads everything else (exec plugins, auth providers, merging).
 * Nothing read here ever appears in a message: errors name the file and the context, never their contents.
 */

import http from 'node:http';
import https from 'node:https';
import { dirname } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError } from '../errors.js';
import { KubeconfigError } from './errors.js';
import { currentContextOf, inspectKubeconfig, requireContext } from './kubeconfig-check.js';
import { inspectKubeconfigs } from './kubeconfig-files.js';
import { kubeconfigFiles, plainEndpoint } from './kubeconfig-plain.js';

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
  // The file (or each file KUBECONFIG lists) is checked first: a kubeconfig, with this context and a server URL.
  // One file of the common shape is read directly; client-node (slow to load) reads the rest.
  const files = kubeconfigFiles(opts.kubeconfig);
  const facts = files.length === 0 ? undefined : inspectKubeconfigs(files);
  if (facts) requireContext(facts, opts.context);
  const plain = files.length === 1 && facts && plainEndpoint(facts.config, dirname(facts.file), opts.context);
  if (plain) {
    const url = new URL(plain.server);
    return { server: url, agent: agentFor(url, plain.tls, opts.maxSockets), headers: authHeaders(plain.tls) };
  }
  const kc = await loadKubeConfig(opts);
  const server = serverOf(kc, opts);
  // client-node takes the TLS material and credentials of its current context: make that the one asked for.
  kc.setCurrentContext(opts.context);
  const tls: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(tls);
  } catch (err) {
    const command = execCommand(kc, opts.context);
    if (command !== undefined) throw execPluginError(sourceLabel(opts.kubeconfig), opts.context, command, err);
    throw new ClusterError(opts.cluster, `cannot get credentials for context "${opts.context}": ${safeReason(err)}`);
  }
  return { server, agent: agentFor(server, tls, opts.maxSockets), headers: authHeaders(tls) };
}

/** The exec credential plugin the context's user runs (`user.exec`, or an `exec` auth provider), if any. */
function execCommand(kc: KubeConfig, context: string): string | undefined {
  const user = kc.getUser(kc.getContextObject(context)?.user ?? '');
  const provider = user?.authProvider as { config?: { exec?: unknown } } | undefined;
  const exec = (user?.exec ?? provider?.config?.exec) as { command?: unknown } | undefined;
  if (exec === undefined || exec === null) return undefined;
  return typeof exec.command === 'string' ? exec.command : '';
}

/**
 * An exec plugin that cannot run or answers nonsense is a problem with the kubeconfig, not the cluster: exit 2,
 * naming the context and the command. Never the plugin's output (stderr or stdout may hold a token) nor its args.
 */
function execPluginError(source: string, context: string, command: string, err: unknown): KubeconfigError {
  const plugin = command.length === 0 ? 'an exec credential plugin that names no command' : execProblem(command, err);
  return new KubeconfigError(source, `context ${JSON.stringify(context)} uses ${plugin}`, {
    context,
    hint: "run the command yourself (its login may have expired), or fix the context's user",
  });
}

function execProblem(command: string, err: unknown): string {
  const plugin = `the exec credential plugin "${command}", which`;
  const code = (err as { code?: unknown })?.code;
  if (code === 'ENOENT') return `${plugin} cannot be started: command not found (ENOENT)`;
  if (typeof code === 'string') return `${plugin} cannot be started (${code})`;
  // client-node: JSON.parse of its stdout failed, or the JSON has no `status`.
  if (err instanceof SyntaxError) return `${plugin} printed something that is not JSON, not an ExecCredential`;
  if (err instanceof TypeError) return `${plugin} printed JSON that is not an ExecCredential (no status)`;
  return `${plugin} failed (it exited with an error)`;
}

/** The server of the context's cluster, from client-node's (perhaps merged) kubeconfig. */
export function serverOf(kc: KubeConfig, opts: { context: string; kubeconfig?: string | undefined }): URL {
  const source = sourceLabel(opts.kubeconfig);
  if (!kc.getContextObject(opts.context))
    throw new KubeconfigError(source, `has no context ${JSON.stringify(opts.context)}`, { context: opts.context });
  const cluster = kc.getCluster(kc.getContextObject(opts.context)!.cluster);
  if (!cluster?.server)
    throw new KubeconfigError(source, `context ${JSON.stringify(opts.context)} names no cluster server`, {
      context: opts.context,
    });
  try {
    return new URL(cluster.server);
  } catch {
    throw new KubeconfigError(source, `the server of context ${JSON.stringify(opts.context)} is not a URL`, {
      context: opts.context,
    });
  }
}

/**
 * The kubeconfig, read by client-node. The module is imported on first use: it takes ~0.4 s to load, and commands
 * that never contact a cluster (validate, build, diff, audit) should not pay for it. Callers check the file first
 * (`inspectKubeconfig`), as endpointFor and readClusterEntry do.
 */
export async function loadKubeConfig(opts: { cluster: string; kubeconfig?: string }): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new KubeconfigError(sourceLabel(opts.kubeconfig), `cannot be read: ${safeReason(err)}`);
  }
  return kc;
}

/** The current context of a kubeconfig file (`roster whoami --kubeconfig FILE` without --context). */
export function currentContext(opts: { kubeconfig: string }): string {
  return currentContextOf(inspectKubeconfig(opts.kubeconfig));
}

/** How messages name the kubeconfig read: the file, or where client-node looked for it. */
function sourceLabel(file: string | undefined): string {
  if (file) return file;
  return process.env.KUBECONFIG ? `${process.env.KUBECONFIG} (KUBECONFIG)` : '~/.kube/config (the default)';
}

/**
 * The error's code or class, or client-node's own structural message (`clusters[0].name is missing`); other
 * parser messages quote the file's text, which may hold keys or tokens.
 */
function safeReason(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  const message = err instanceof Error ? err.message : '';
  if (/^(clusters|contexts|users)\[\d+\]\.[a-z.]+ is missing$/.test(message)) return message;
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

/**
 * The common kubeconfig, read without client-node: one file, a context whose cluster has a server, a CA and
 * perhaps `insecure-skip-tls-verify` or `tls-server-name`, and whose user has a bearer token and/or a client
 * certificate and key (inline or in files). That is what kind, kubeadm, cloud CLIs' static configs and Roster's own
 * token kubeconfigs look like, and client-node takes longer to load (~0.4 s) than a no-op takes to run.
 *
 * Anything else (several files in KUBECONFIG, exec plugins, auth providers, basic auth, impersonation, proxies,
 * token files, in-cluster config, a missing context) returns undefined, and client-node reads it as before. The
 * TLS options produced are the ones client-node's `applyToHTTPSOptions` produces for the same file (tested).
 */

import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

export interface PlainEndpoint {
  server: string;
  tls: https.RequestOptions;
}

const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
]);
const USER_KEYS = new Set(['token', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data']);

/** The file client-node would read: `--kubeconfig`, else KUBECONFIG when it names one file, else ~/.kube/config. */
export function kubeconfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const files = kubeconfigFiles(explicit, env);
  return files.length === 1 ? files[0] : undefined;
}

/**
 * Every file client-node reads: `--kubeconfig`, else each file KUBECONFIG lists (merged in that order), else
 * ~/.kube/config when it exists; none means the in-cluster config.
 */
export function kubeconfigFiles(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit];
  const fromEnv = env.KUBECONFIG ?? '';
  if (fromEnv.length > 0) return fromEnv.split(delimiter).filter(Boolean);
  const home = join(homedir(), '.kube', 'config');
  return existsSync(home) ? [home] : [];
}

/** The endpoint of `context` when the file is of the plain kind; undefined to let client-node read it. */
export function readPlainKubeconfig(file: string | undefined, context: string): PlainEndpoint | undefined {
  if (!file) return undefined;
  let config: unknown;
  try {
    const yaml = createRequire(import.meta.url)('yaml') as typeof Yaml;
    config = yaml.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // client-node reports it, without quoting the file
  }
  return plainEndpoint(config, dirname(file), context);
}

/**
 * The same from a kubeconfig already parsed (`root`: its folder, against which file paths in it resolve), so a
 * caller that has checked the file does not read and parse it again.
 */
export function plainEndpoint(config: unknown, root: string, context: string): PlainEndpoint | undefined {
  const ctx = named(config, 'contexts', context, 'context');
  const cluster = named(config, 'clusters', str(ctx?.cluster), 'cluster');
  const user = named(config, 'users', str(ctx?.user), 'user');
  if (!cluster || !user || !plain(cluster, CLUSTER_KEYS) || !plain(user, USER_KEYS)) return undefined;
  const server = str(cluster.server);
  if (!server?.startsWith('https://')) return undefined;
  const skip = cluster['insecure-skip-tls-verify'];
  if (skip !== undefined && typeof skip !== 'boolean') return undefined;
  try {
    return { server: server.replace(/\/$/, ''), tls: tlsOptions(cluster, user, root) };
  } catch {
    return undefined; // an unreadable certificate file: client-node reports it
  }
}

/** What client-node's applyToHTTPSOptions sets for such a cluster and user. */
function tlsOptions(cluster: Entry, user: Entry, root: string): https.RequestOptions {
  const tls: https.RequestOptions = {};
  if (cluster['insecure-skip-tls-verify'] === true) tls.rejectUnauthorized = false;
  const servername = str(cluster['tls-server-name']);
  if (servername) tls.servername = servername;
  const ca = material(cluster, 'certificate-authority', root);
  if (ca) tls.ca = ca;
  const cert = material(user, 'client-certificate', root);
  if (cert) tls.cert = cert;
  const key = material(user, 'client-key', root);
  if (key) tls.key = key;
  tls.headers = {};
  const token = str(user.token);
  if (token) tls.headers.Authorization = `Bearer ${token}`;
  return tls;
}

type Entry = Record<string, unknown>;

/** `<field>` names a file (relative to the kubeconfig's folder), `<field>-data` holds base64; the file wins. */
function material(entry: Entry, field: string, root: string): Buffer | undefined {
  const file = str(entry[field]);
  if (file) return readFileSync(isAbsolute(file) ? file : join(root, file));
  const data = str(entry[`${field}-data`]);
  return data ? Buffer.from(data, 'base64') : undefined;
}

/** The `key` object of the first entry of `list` named `name` (as client-node's findObject). */
function named(config: unknown, list: string, name: string | undefined, key: string): Entry | undefined {
  if (name === undefined || typeof config !== 'object' || config === null) return undefined;
  const entries = (config as Entry)[list];
  if (!Array.isArray(entries)) return undefined;
  const found = entries.find((e): e is Entry => typeof e === 'object' && e !== null && (e as Entry).name === name);
  const inner = found?.[key];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Entry) : undefined;
}

/** Only the keys this reader understands, each a string (or the skip flag). */
function plain(entry: Entry, allowed: Set<string>): boolean {
  return Object.entries(entry).every(
    ([k, v]) => allowed.has(k) && (typeof v === 'string' || k === 'insecure-skip-tls-verify'),
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

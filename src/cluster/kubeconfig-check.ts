/**
 * Is the file a kubeconfig, and does it have the context asked for? Checked before client-node reads it: client-node
 * takes random text or a Pod manifest for an empty kubeconfig, and a missing file, a directory or a bad server URL
 * would otherwise surface as a cluster failure (exit 3) or an internal error. Every problem is a KubeconfigError
 * (exit 2) naming the file and what is wrong with it; messages quote only names (contexts, clusters, fields) and
 * positions, never a value the file holds.
 */

import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { KubeconfigError } from './errors.js';

export interface KubeconfigFacts {
  /** The file, as the user named it. */
  file: string;
  contexts: string[];
  currentContext?: string;
  /** The parsed file: only read through `requireContext`. */
  config: Record<string, unknown>;
}

/** Every list a kubeconfig holds, the key of each entry's body, and the body's fields client-node requires. */
const LISTS = { clusters: ['cluster', ['server']], contexts: ['context', ['cluster']], users: ['user', []] } as const;

/**
 * `inList`: one of several files KUBECONFIG lists, where a file holding only a current-context is a known pattern
 * (the context chosen in a file of its own, the clusters and users in another).
 */
export function inspectKubeconfig(file: string, opts: { inList?: boolean } = {}): KubeconfigFacts {
  const config = parse(file, readText(file));
  const bad = (problem: string) => new KubeconfigError(file, `not a kubeconfig: ${problem}`);
  if (config.kind !== undefined && config.kind !== 'Config')
    throw bad('its kind is not Config; pass the kubeconfig kubectl uses (kubectl config view shows it)');
  const onlyCurrent = opts.inList === true && typeof config['current-context'] === 'string';
  if (!Object.keys(LISTS).some((list) => config[list] !== undefined) && !onlyCurrent)
    throw bad('it has none of clusters, contexts and users; pass the kubeconfig kubectl uses');
  for (const [list, [body, required]] of Object.entries(LISTS)) checkList(file, config, list, body, required);
  const contexts = (config.contexts as { name: string }[] | undefined)?.map((c) => c.name) ?? [];
  const current = config['current-context'];
  const facts: KubeconfigFacts = { file, contexts, config };
  if (typeof current === 'string' && current.length > 0) facts.currentContext = current;
  return facts;
}

/**
 * The context exists, names a cluster the file defines, and that cluster's server is an http(s) URL: what every
 * command needs before its first request. Returns the server URL.
 */
export function requireContext(facts: KubeconfigFacts, context: string): URL {
  const ctx = entry(facts.config, 'contexts', context, 'context');
  if (!ctx)
    throw new KubeconfigError(facts.file, `has no context ${JSON.stringify(context)}${contextList(facts)}`, {
      context,
      hint: 'name one of its contexts, or add this one (kubectl config set-context)',
    });
  const clusterName = ctx.cluster as string;
  const cluster = entry(facts.config, 'clusters', clusterName, 'cluster');
  if (!cluster)
    throw new KubeconfigError(
      facts.file,
      `context ${JSON.stringify(context)} names cluster ${JSON.stringify(clusterName)}, which it does not define`,
      {
        context,
      },
    );
  const user = entry(facts.config, 'users', ctx.user as string, 'user');
  checkFiles(facts.file, `cluster ${JSON.stringify(clusterName)}`, cluster, FILE_FIELDS.cluster, context);
  if (user) checkFiles(facts.file, `user ${JSON.stringify(ctx.user)}`, user, FILE_FIELDS.user, context);
  try {
    const url = new URL(cluster.server as string);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // reported below, without the value
  }
  throw new KubeconfigError(facts.file, `the server of cluster ${JSON.stringify(clusterName)} is not an https:// URL`, {
    context,
  });
}

/** The context a kubeconfig's current-context names; an error listing its contexts when there is none. */
export function currentContextOf(facts: KubeconfigFacts): string {
  if (facts.currentContext) return facts.currentContext;
  throw new KubeconfigError(facts.file, `has no current-context${contextList(facts)}`, { hint: 'pass --context' });
}

/** Fields of each entry that name a file (relative to the kubeconfig's folder), as client-node reads them. */
export const FILE_FIELDS: Readonly<Record<'cluster' | 'context' | 'user', readonly string[]>> = {
  cluster: ['certificate-authority'],
  context: [],
  user: ['client-certificate', 'client-key', 'tokenFile'],
};

/** Each file the entry names is readable: a path is not a secret, what the file holds is never read here. */
function checkFiles(
  file: string,
  what: string,
  body: Record<string, unknown>,
  fields: readonly string[],
  context: string,
): void {
  for (const field of fields) {
    const named = body[field];
    if (typeof named !== 'string' || named.length === 0) continue;
    const path = isAbsolute(named) ? named : join(dirname(file), named);
    try {
      accessSync(path, constants.R_OK);
      if (statSync(path).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new KubeconfigError(
        file,
        `${what} names ${field} ${named}, which cannot be read (${typeof code === 'string' ? code : 'unreadable'})`,
        { context },
      );
    }
  }
}

function readText(file: string): string {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new KubeconfigError(file, 'is a directory, not a file');
    // A FIFO is fine (`--kubeconfig <(…)`); a device such as /dev/zero would never end.
    if (!stat.isFile() && !stat.isFIFO()) throw new KubeconfigError(file, 'is not a regular file');
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof KubeconfigError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') throw new KubeconfigError(file, 'does not exist', { hint: 'check the path' });
    if (code === 'EACCES') throw new KubeconfigError(file, 'cannot be read: permission denied');
    throw new KubeconfigError(file, `cannot be read: ${typeof code === 'string' ? code : 'unreadable'}`);
  }
}

function parse(file: string, text: string): Record<string, unknown> {
  if (text.trim().length === 0) throw new KubeconfigError(file, 'is empty');
  const yaml = createRequire(import.meta.url)('yaml') as typeof Yaml;
  // As client-node (js-yaml) reads it: one document; the parser's message is left out, it quotes the file.
  const docs = yaml.parseAllDocuments(text, { uniqueKeys: false });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const error = doc?.errors[0];
  if (!doc || error) {
    const where = error?.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new KubeconfigError(file, `not a kubeconfig: not valid YAML${where}`);
  }
  if ((docs as unknown[]).length > 1)
    throw new KubeconfigError(file, 'not a kubeconfig: it holds several YAML documents; a kubeconfig is one');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new KubeconfigError(file, 'not a kubeconfig: its YAML aliases expand too far');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new KubeconfigError(
      file,
      `not a kubeconfig: it is ${Array.isArray(value) ? 'a YAML list' : 'plain text'}, ` +
        `not a mapping with clusters, contexts and users`,
    );
  return value as Record<string, unknown>;
}

/** Each entry a mapping with a string name and a body holding the fields client-node requires. */
function checkList(
  file: string,
  config: Record<string, unknown>,
  list: string,
  body: string,
  required: readonly string[],
): void {
  const entries = config[list];
  if (entries === undefined || entries === null) return;
  if (!Array.isArray(entries)) throw new KubeconfigError(file, `not a kubeconfig: ${list} is not a list`);
  entries.forEach((e: unknown, i) => {
    const at = `${list}[${i}]`;
    if (!isMap(e)) throw new KubeconfigError(file, `${at} is not a mapping`);
    if (typeof e.name !== 'string' || e.name.length === 0) throw new KubeconfigError(file, `${at} has no name`);
    const inner = e[body];
    if (required.length > 0 && !isMap(inner))
      throw new KubeconfigError(file, `${at} (${JSON.stringify(e.name)}) has no ${body}`);
    for (const field of required) {
      const value = (inner as Record<string, unknown>)[field];
      if (typeof value !== 'string' || value.length === 0)
        throw new KubeconfigError(file, `${at} (${JSON.stringify(e.name)}) has no ${body}.${field}`);
    }
  });
}

function entry(config: Record<string, unknown>, list: string, name: string, body: string) {
  const entries = config[list] as Record<string, unknown>[] | undefined;
  const inner = entries?.find((e) => e.name === name)?.[body];
  return isMap(inner) ? inner : undefined;
}

function contextList(facts: KubeconfigFacts): string {
  if (facts.contexts.length === 0) return ' (it has no contexts)';
  const shown = facts.contexts.slice(0, 10).map((c) => JSON.stringify(c));
  return ` (its contexts: ${shown.join(', ')}${facts.contexts.length > 10 ? ', …' : ''})`;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

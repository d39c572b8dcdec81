/**
 * "Who had access to namespace N on cluster C at date D?": the config of the last commit on the branch at D (the
 * last one that validated: an invalid commit is never applied), compiled as of D, so time windows count too.
 */

import { compareCodeUnits } from '../compare.js';
import { compile, offlineFacts } from '../compile/index.js';
import type { AccessEntry } from '../compile/types.js';
import type { GitSource } from '../git/index.js';
import type { Model, RoleScope } from '../model/types.js';
import { holderLabel, holdingKey, holdingOf, type Person } from '../review/index.js';
import { globToRegExp } from '../model/patterns.js';
import { ConfigReader } from './configs.js';
import { commitAt, type HistoryStep } from './history.js';
import { formatTime } from '../time.js';

export interface AccessAtQuery {
  at: Date;
  namespace?: string;
  cluster?: string;
}

export interface AccessAtRow {
  cluster: string;
  who: Person;
  role: string;
  scope: RoleScope;
  /** How the role reaches the namespace asked about: by name, through a pattern, or cluster-wide. */
  reach: 'namespace' | 'pattern' | 'cluster-wide';
  namespace?: string;
  via: string[];
  expires?: string;
}

export interface AccessAt {
  query: { at: string; namespace?: string; cluster?: string };
  /** The commit whose config was in force; undefined when the branch had no valid config yet. */
  commit?: { oid: string; date: string; author: { name: string; email: string }; subject: string };
  /** Newer commits at D that did not validate and were skipped. */
  skippedInvalid: number;
  rows: AccessAtRow[];
}

export async function accessAt(git: GitSource, head: string, subdir: string, q: AccessAtQuery): Promise<AccessAt> {
  const reader = new ConfigReader(git);
  const query = {
    at: formatTime(q.at),
    ...(q.namespace ? { namespace: q.namespace } : {}),
    ...(q.cluster ? { cluster: q.cluster } : {}),
  };
  let step = await commitAt(git, head, subdir, q.at);
  let skippedInvalid = 0;
  while (step) {
    const cfg = await reader.read(step.tree, q.at);
    if (cfg.model) return { query, commit: describe(step), skippedInvalid, rows: rowsOf(cfg.model, q) };
    skippedInvalid++;
    const parent = step.commit.parents[0];
    step = parent ? await commitAt(git, parent, subdir, q.at) : undefined;
  }
  return { query, skippedInvalid, rows: [] };
}

function rowsOf(model: Model, q: AccessAtQuery): AccessAtRow[] {
  const clusters = model.clusters.filter((c) => !q.cluster || c.name === q.cluster);
  const result = compile(model, offlineFacts(clusters), q.at);
  const byName = new Map(model.clusters.map((c) => [c.name, c]));
  const rows = new Map<string, AccessAtRow>();
  for (const entry of result.clusters.flatMap((s) => s.access)) {
    const reach = reachOf(entry, q.namespace);
    if (!reach) continue;
    const holding = holdingOf(entry, byName.get(entry.cluster));
    const key = holdingKey(holding);
    const row = rows.get(key) ?? {
      cluster: entry.cluster,
      who: holding.who,
      role: entry.role,
      scope: entry.scope,
      reach,
      ...(holding.namespace ? { namespace: holding.namespace } : {}),
      via: [],
    };
    if (!row.via.includes(holderLabel(entry))) row.via.push(holderLabel(entry));
    if (entry.expires && (!row.expires || entry.expires > row.expires)) row.expires = entry.expires;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) =>
      compareCodeUnits(a.cluster, b.cluster) ||
      compareCodeUnits(a.reach, b.reach) ||
      KINDS.indexOf(a.who.kind) - KINDS.indexOf(b.who.kind) ||
      compareCodeUnits(a.who.name, b.who.name) ||
      compareCodeUnits(a.role, b.role),
  );
}

function reachOf(entry: AccessEntry, namespace: string | undefined): AccessAtRow['reach'] | undefined {
  if (entry.scope === 'cluster') return 'cluster-wide';
  if (entry.pattern !== undefined)
    return !namespace || globToRegExp(entry.pattern).test(namespace) ? 'pattern' : undefined;
  return !namespace || entry.namespace === namespace ? 'namespace' : undefined;
}

function describe(step: HistoryStep): AccessAt['commit'] {
  const c = step.commit;
  return {
    oid: c.oid,
    date: formatTime(c.committer.date),
    author: { name: c.author.name, email: c.author.email },
    subject: c.message.split('\n')[0] ?? '',
  };
}

const KINDS = ['user', 'group', 'serviceaccount', 'token'];

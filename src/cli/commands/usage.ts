/**
 * `roster usage --audit-log [CLUSTER=]FILE...`: which Roster grants, members and access tokens the API servers'
 * audit logs show in use, which are unused (with the revoke command for each), and what was allowed outside Roster.
 */

import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Cluster, Model } from '../../model/types.js';
import { countUsage, renderUsageJson, renderUsageText, type AuditLogSource } from '../../usage/index.js';
import { dateFlag, loadConfig, repeatable, withOutputOption, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';

interface UsageFlags extends RepoFlags {
  auditLog: string[];
  cluster?: string;
  since?: string;
  unusedFor: string;
  output: 'text' | 'json';
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('usage')
    .description('which grants, members and tokens kube-apiserver audit logs show in use, and which are unused')
    .option(
      '--audit-log <[cluster=]file>',
      'an audit log (JSON lines, gzip allowed) of a cluster; repeat it',
      repeatable,
      [],
    )
    .option('--cluster <name>', 'the cluster for --audit-log files given without CLUSTER=')
    .option('--since <date>', 'only requests received from this date on, e.g. 2026-01-01')
    .option('--unused-for <days>', 'list grants, members and tokens with no use in this many days', '90')
    .addHelpText('after', USAGE_HELP);
  withOutputOption(withRepoOptions(cmd), ['text', 'json']).action(async (flags: UsageFlags) => {
    if (flags.auditLog.length === 0) throw new UsageError('usage: give at least one --audit-log [CLUSTER=]FILE');
    const unusedForDays = days(flags.unusedFor);
    const since = flags.since !== undefined ? dateFlag('--since', flags.since) : undefined;
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    const logs = flags.auditLog.map((spec) => logSource(spec, model, flags.cluster));
    const report = await countUsage({ model, logs, now: at, unusedForDays, ...(since ? { since } : {}) });
    state.io.out(flags.output === 'json' ? renderUsageJson(report) : renderUsageText(report));
  });
}

const USAGE_HELP = `
Each request the logs show allowed is evaluated with the same RBAC rules as can-i against what Roster compiles
from Git (as of now, or ROSTER_NOW) and credited to every Roster grant that allows it. Requests are counted once,
at their ResponseComplete event. What the report proves and what it does not: docs/compliance.md.

Examples:
  roster usage --audit-log prod-eu=/var/log/kubernetes/audit.log --audit-log prod-us=audit-us.log.gz
  roster usage --cluster prod-eu --audit-log audit.log --since 2026-01-01 --unused-for 30 -o json`;

/** `prod-eu=/path` names the cluster; a bare path belongs to --cluster, or to the only declared cluster. */
export function logSource(spec: string, model: Model, defaultCluster: string | undefined): AuditLogSource {
  const eq = spec.indexOf('=');
  const named = eq > 0 ? model.clusters.find((c) => c.name === spec.slice(0, eq)) : undefined;
  if (named) return { cluster: named, file: spec.slice(eq + 1) };
  if (eq > 0 && !/[/\\.]/.test(spec.slice(0, eq)))
    throw new UsageError(`--audit-log ${spec}: unknown cluster "${spec.slice(0, eq)}"; declared: ${names(model)}`);
  return { cluster: defaultClusterOf(spec, model, defaultCluster), file: spec };
}

function defaultClusterOf(spec: string, model: Model, wanted: string | undefined): Cluster {
  if (wanted !== undefined) {
    const found = model.clusters.find((c) => c.name === wanted);
    if (!found) throw new UsageError(`unknown cluster "${wanted}"; the config declares: ${names(model)}`);
    return found;
  }
  if (model.clusters.length === 1) return model.clusters[0]!;
  throw new UsageError(
    `--audit-log ${spec}: which cluster wrote it? write CLUSTER=${spec} (declared: ${names(model)})`,
  );
}

function names(model: Model): string {
  return model.clusters.map((c) => c.name).join(', ');
}

function days(text: string): number {
  const match = /^(\d+)d?$/.exec(text.trim());
  if (!match) throw new UsageError(`--unused-for ${text}: expected a number of days, e.g. 30 or 30d`);
  return Number(match[1]);
}

/**
 * `roster usage`: which Roster grants the API servers' audit logs show being used. Logs are read one file at a
 * time, line by line (constant memory), each request credited by ClusterCounter; the report is built at the end.
 */

import { desiredSnapshot } from '../access/desired.js';
import { compile, offlineFacts } from '../compile/index.js';
import type { Cluster, Model } from '../model/types.js';
import { parseAuditLine } from './events.js';
import { buildUsageReport, type LoggedCluster, type UsageReport } from './report.js';
import { AuditLogError, MAX_LINE_BYTES, readLogLines } from './stream.js';
import { ClusterCounter, UsageTally, type MalformedLines } from './tally.js';

export { AuditLogError } from './stream.js';
export { renderUsageJson, renderUsageText } from './render.js';
export type { UsageReport } from './report.js';

export interface AuditLogSource {
  cluster: Cluster;
  file: string;
}

export interface CountUsageOptions {
  model: Model;
  logs: AuditLogSource[];
  /** Grants are compiled as of this time; "unused for N days" counts back from it. */
  now: Date;
  unusedForDays: number;
  since?: Date;
}

export async function countUsage(opts: CountUsageOptions): Promise<UsageReport> {
  const clusters = unique(opts.logs.map((l) => l.cluster));
  // Offline: namespace patterns stay patterns and are matched against each request's namespace instead.
  const compiled = compile(opts.model, offlineFacts(clusters), opts.now);
  const tally = new UsageTally();
  const logged: LoggedCluster[] = compiled.clusters.map((state) => ({
    cluster: state.cluster,
    files: opts.logs.filter((l) => l.cluster.name === state.cluster).map((l) => l.file),
    snapshot: desiredSnapshot(state, compiled.roleRules),
  }));
  for (const { cluster, snapshot, files } of logged) {
    const counter = new ClusterCounter(
      clusters.find((c) => c.name === cluster)!,
      snapshot,
      opts.model,
      tally,
    );
    for (const file of files) await countFile(file, counter, tally, opts.since);
  }
  return buildUsageReport(opts.model, logged, tally, {
    now: opts.now,
    unusedForDays: opts.unusedForDays,
    ...(opts.since ? { since: opts.since } : {}),
  });
}

async function countFile(file: string, counter: ClusterCounter, tally: UsageTally, since?: Date): Promise<void> {
  const { totals } = tally;
  const from = since?.getTime() ?? -Infinity;
  let lines = 0;
  let skipped: MalformedLines | undefined;
  for await (const line of readLogLines(file)) {
    lines++;
    totals.lines++;
    const parsed = line.tooLong ? TOO_LONG : parseAuditLine(line.text);
    if (parsed.kind === 'malformed') {
      totals.malformed++;
      skipped ??= { file, lines: 0, first: { line: line.line, reason: parsed.reason } };
      skipped.lines++;
    } else if (parsed.kind === 'other-stage') totals.otherStages++;
    else if (parsed.request.time < from) totals.beforeSince++;
    else counter.record(parsed.request);
  }
  if (skipped && skipped.lines === lines) throw notAnAuditLog(skipped);
  if (skipped) tally.malformed.push(skipped);
}

/**
 * A file where no line is an audit event is the wrong file (a kubelet log, a JSON export), not a log with a few bad
 * lines: reporting it would list every grant as unused.
 */
function notAnAuditLog({ file, lines, first }: MalformedLines): AuditLogError {
  return new AuditLogError(
    `${file}:${first.line}`,
    `${first.reason}, and none of the file's ${lines} lines is an audit.k8s.io/v1 Event; nothing was reported. ` +
      'Pass the JSON-lines file the API server writes with --audit-log-path (--audit-log-format=json)',
  );
}

const TOO_LONG = { kind: 'malformed', reason: `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB` } as const;

function unique(clusters: Cluster[]): Cluster[] {
  return [...new Map(clusters.map((c) => [c.name, c])).values()];
}

/**
 * The access matrix behind `roster report --html`: one row per team and token, one column per (cluster, scope),
 * the roles held in each cell. Built from the compiled state, so it shows what Git declares; namespace patterns
 * stay patterns when compiled offline. Pure and deterministic.
 */

import { compareCodeUnits } from '../compare.js';
import type { AccessEntry, CompileResult, Holder } from '../compile/types.js';
import { reviewStatuses } from '../model/reviews.js';
import type { Model } from '../model/types.js';
import { delegationOfFile } from '../model/delegations.js';
import { formatTime } from '../time.js';
import { suspendedSubjects, type SuspendedSubject } from './suspensions.js';

export interface MatrixColumn {
  cluster: string;
  /** A namespace, a namespace pattern, or undefined for cluster-wide access. */
  namespace?: string;
  pattern: boolean;
}

export interface MatrixRow {
  holder: Holder;
  /** The team a row belongs to for the team filter: the team itself, or a token's owner. */
  team: string;
  description?: string;
  /** The Delegation whose path holds the team's or token's file: its grants stay within that delegation. */
  delegation?: string;
  /** Access review state, when Settings ask for reviews. */
  review?: RowReview;
}

export interface RowReview {
  state: 'ok' | 'due-soon' | 'overdue';
  suspended: boolean;
  due?: string;
  lastReviewed?: string;
  reviewer?: string;
}

export interface MatrixCell {
  role: string;
  expires?: string;
}

export interface AccessMatrix {
  /** The config repository (folder or url@ref) and the commit, when it came from Git. */
  source: string;
  commit?: string;
  generatedAt: string;
  clusters: string[];
  roles: string[];
  teams: string[];
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** cells[row][column]: roles sorted by name. */
  cells: MatrixCell[][][];
  /** Who a Suspension in force leaves out of every binding (their teams' cells no longer reach them). */
  suspended: SuspendedSubject[];
}

export interface MatrixInput {
  model: Model;
  result: CompileResult;
  source: { label: string; commit?: string };
  now: Date;
}

export function buildMatrix(input: MatrixInput): AccessMatrix {
  const entries = input.result.clusters.flatMap((c) => c.access);
  const columns = uniqueColumns(entries);
  const rows = withReviews(holderRows(input.model), input.model, input.now);
  const colIndex = new Map(columns.map((c, i) => [columnKey(c), i]));
  const rowIndex = new Map(rows.map((r, i) => [holderKey(r.holder), i]));
  const cells = rows.map(() => columns.map((): MatrixCell[] => []));
  for (const entry of entries) {
    const cell = cells[rowIndex.get(holderKey(entry.holder)) ?? -1]?.[colIndex.get(columnKey(columnOf(entry))) ?? -1];
    if (cell && !cell.some((c) => c.role === entry.role))
      cell.push(entry.expires ? { role: entry.role, expires: entry.expires } : { role: entry.role });
  }
  for (const row of cells) for (const cell of row) cell.sort((a, b) => compareCodeUnits(a.role, b.role));
  const matrix: AccessMatrix = {
    source: input.source.label,
    generatedAt: formatTime(input.now),
    clusters: input.result.clusters.map((c) => c.cluster),
    roles: [...new Set(entries.map((e) => e.role))].sort(),
    teams: input.model.teams.map((t) => t.name).sort(),
    columns,
    rows,
    cells,
    suspended: suspendedSubjects(input.result.suspended),
  };
  if (input.source.commit) matrix.commit = input.source.commit;
  return matrix;
}

function columnOf(entry: AccessEntry): MatrixColumn {
  if (entry.scope === 'cluster') return { cluster: entry.cluster, pattern: false };
  return {
    cluster: entry.cluster,
    namespace: entry.namespace ?? entry.pattern ?? '',
    pattern: entry.pattern !== undefined,
  };
}

function columnKey(column: MatrixColumn): string {
  return `${column.cluster}\0${column.namespace === undefined ? '' : `~${column.namespace}`}\0${column.pattern}`;
}

function uniqueColumns(entries: AccessEntry[]): MatrixColumn[] {
  const columns = new Map<string, MatrixColumn>();
  for (const entry of entries) {
    const column = columnOf(entry);
    columns.set(columnKey(column), column);
  }
  return [...columns.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([, column]) => column);
}

/** Teams, then tokens, each by name. Holders without any access still get a row: "has nothing" is an answer too. */
function holderRows(model: Model): MatrixRow[] {
  const delegated = (file: string) => {
    const d = delegationOfFile(file, model.delegations);
    return d ? { delegation: d.name } : {};
  };
  const teams = model.teams.map((t): MatrixRow =>
    withDescription(
      { holder: { kind: 'team', name: t.name }, team: t.name, ...delegated(t.source.file) },
      t.description,
    ),
  );
  const tokens = model.tokens.map((t): MatrixRow =>
    withDescription(
      { holder: { kind: 'token', name: t.name }, team: t.owner, ...delegated(t.source.file) },
      t.description,
    ),
  );
  const byName = (a: MatrixRow, b: MatrixRow): number => compareCodeUnits(a.holder.name, b.holder.name);
  return [...teams.sort(byName), ...tokens.sort(byName)];
}

function withReviews(rows: MatrixRow[], model: Model, now: Date): MatrixRow[] {
  const statuses = new Map(
    reviewStatuses(model, now, model.settings.expiryWarningDays).map((s) => [`${s.kind}\0${s.name}`, s]),
  );
  return rows.map((row) => {
    const s = statuses.get(holderKey(row.holder));
    if (!s) return row;
    const review: RowReview = { state: s.state, suspended: s.suspended };
    if (s.due) review.due = formatTime(s.due);
    if (s.reviewed) {
      review.lastReviewed = formatTime(s.reviewed.at);
      review.reviewer = s.reviewed.by;
    }
    return { ...row, review };
  });
}

function withDescription(row: MatrixRow, description: string | undefined): MatrixRow {
  return description ? { ...row, description } : row;
}

function holderKey(holder: Holder): string {
  return `${holder.kind}\0${holder.name}`;
}

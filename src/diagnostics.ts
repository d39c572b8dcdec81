/**
 * A problem found in the config repository, pointing at a file position and a JSON path, phrased so a person can
 * act on it. Every stage that reads config (load, validate) reports through this one shape, all at once.
 */
import { compareCodeUnits } from './compare.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code: see `DiagnosticCode`. */
  code: DiagnosticCode;
  /** Relative to the config repository root, posix separators. */
  file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  line: number;
  col: number;
  /** JSON path inside the document, like `spec.grants[1].role`; empty for the whole document. */
  path: string;
  message: string;
  /** How to fix it, when the message alone does not say. */
  hint?: string;
}

/** Every code a Diagnostic may carry. Stable: scripts may match on them. */
export const DiagnosticCodes = [
  'yaml-syntax',
  'yaml-warning',
  'yaml-alias',
  'encoding',
  'too-large',
  'too-deep',
  'too-many-files',
  'not-roster',
  'api-version',
  'unknown-kind',
  'schema',
  'unknown-field',
  'invalid-name',
  'invalid-namespace',
  'invalid-member',
  'duplicate-name',
  'duplicate-settings',
  'unknown-role',
  'unknown-team',
  'unknown-cluster',
  'no-matching-cluster',
  'builtin-role-name',
  'extends-cycle',
  'role-scope',
  'grant-scope',
  'protected-namespace',
  'time-window',
  'expired',
  'expiring',
  'token-lifetime',
  'guardrail',
  'review-due',
  'review-overdue',
  'delegation',
  'delegation-overlap',
  'delegated-kind',
  'delegation-ceiling',
  'delegation-namespace',
  'delegation-cluster',
  'delegation-member',
  'symlink',
  'unknown-token',
  'suspension-unmatched',
  'suspension-groups',
  'grant-policy',
] as const;
export type DiagnosticCode = (typeof DiagnosticCodes)[number];

/**
 * `teams/payments.yaml:12:15 spec.grants[1].role: unknown role "deployr" (did you mean "deployer"?)`. The file,
 * path and message come from the repository (a file name may hold a newline or a terminal escape): their control
 * and bidirectional-override characters are shown as `\u001b` escapes, so one diagnostic stays one line and no file
 * can recolour or rearrange the terminal.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const file = printable(d.file);
  const where = d.line > 0 ? `${file}:${d.line}:${d.col}` : file;
  const level = d.severity === 'warning' ? ' warning:' : '';
  const path = d.path ? ` ${printable(d.path)}:` : '';
  const hint = d.hint ? `\n  hint: ${printable(d.hint)}` : '';
  return `${where}${level}${path} ${printable(d.message)}${hint}`;
}

/** C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and isolates (U+202A–E, U+2066–9). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every unprintable character written as a `\uXXXX` escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** By file, line, column, then path and message, so output is the same on every run. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareCodeUnits(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    compareCodeUnits(a.path, b.path) ||
    compareCodeUnits(a.message, b.message)
  );
}

export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(compareDiagnostics);
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** One line per diagnostic (hints on an indented line below), sorted. */
export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return sortDiagnostics(ds)
    .map((d) => formatDiagnostic(d) + '\n')
    .join('');
}

/** One way to turn "this document, this path, this problem" into a Diagnostic. */

import type { Diagnostic, DiagnosticCode, Severity } from '../diagnostics.js';
import type { JsonPath, LoadedDocument } from '../load/types.js';
import { formatPath } from './paths.js';

export interface DiagOptions {
  severity?: Severity;
  hint?: string;
  /** Point at the property's key rather than its value (unknown fields). */
  key?: boolean;
}

export function diag(
  doc: LoadedDocument,
  path: JsonPath,
  code: DiagnosticCode,
  message: string,
  opts: DiagOptions = {},
): Diagnostic {
  const pos = opts.key ? doc.locateKey(path) : doc.locate(path);
  const d: Diagnostic = {
    severity: opts.severity ?? 'error',
    code,
    file: doc.file,
    line: pos.line,
    col: pos.col,
    path: formatPath(path),
    message,
  };
  if (opts.hint) d.hint = opts.hint;
  return d;
}

/** `teams/a.yaml:3:9`, for messages that point at a second place. */
export function where(doc: LoadedDocument, path: JsonPath): string {
  const pos = doc.locate(path);
  return `${doc.file}:${pos.line}:${pos.col}`;
}

/**
 * The load stage: YAML text in, plain documents with positions out. Pure (no fs): the caller reads files from a
 * directory (`dir.ts`) or from Git and passes them in. Every syntax problem in every file becomes a Diagnostic.
 */

import { LineCounter, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { API_VERSION, Kinds } from '../model/types.js';
import { makeLocator } from './locate.js';
import type { LoadedDocument, RepoFile } from './types.js';

export interface LoadResult {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
}

export function loadFiles(files: readonly RepoFile[]): LoadResult {
  const result: LoadResult = { documents: [], diagnostics: [] };
  for (const file of files) {
    const { documents, diagnostics } = loadFile(file);
    result.documents.push(...documents);
    result.diagnostics.push(...diagnostics);
  }
  return result;
}

export function loadFile(file: RepoFile): LoadResult {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(file.text, { lineCounter: lines, prettyErrors: false });
  const docs: Document[] = Array.isArray(parsed) ? parsed : [];
  const result: LoadResult = { documents: [], diagnostics: [] };
  docs.forEach((doc, index) => {
    const problems = [
      ...doc.errors.map((e) => yamlDiagnostic(file.path, e, lines, 'error')),
      ...doc.warnings.map((e) => yamlDiagnostic(file.path, e, lines, 'warning')),
    ];
    result.diagnostics.push(...problems);
    if (doc.errors.length > 0) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // An alias to an anchor of another document (or one set later) is an error yaml reports only here.
      const pos = lines.linePos(doc.range?.[0] ?? 0);
      const message = `document ${index + 1}: ${firstLine(err instanceof Error ? err.message : String(err))}`;
      result.diagnostics.push({ severity: 'error', code: 'yaml-syntax', file: file.path, ...pos, path: '', message });
      return;
    }
    if (value === null || value === undefined) return; // an empty document (or only comments)
    const loaded: LoadedDocument = { file: file.path, doc: index, value, ...makeLocator(doc, lines) };
    const verdict = checkApiVersion(loaded);
    if (verdict) result.diagnostics.push(verdict);
    else result.documents.push(loaded);
  });
  return result;
}

function yamlDiagnostic(file: string, e: YAMLError, lines: LineCounter, severity: Diagnostic['severity']): Diagnostic {
  const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
  return {
    severity,
    code: severity === 'error' ? 'yaml-syntax' : 'yaml-warning',
    file,
    line: pos.line,
    col: pos.col,
    path: '',
    message: firstLine(e.message),
  };
}

/**
 * Roster documents say `apiVersion: roster/v1`. Other YAML in the repository (CI files, Helm values) is tolerated
 * with a warning; a newer Roster version is an error, since silently skipping it would drop access rules.
 */
function checkApiVersion(d: LoadedDocument): Diagnostic | undefined {
  const value = d.value as Record<string, unknown> | null;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const apiVersion = isObject ? value.apiVersion : undefined;
  const kind = isObject ? value.kind : undefined;
  const at = (
    path: string[],
    severity: Diagnostic['severity'],
    code: Diagnostic['code'],
    message: string,
    hint?: string,
  ): Diagnostic => ({
    severity,
    code,
    file: d.file,
    ...d.locate(path),
    path: path.join('.'),
    message,
    ...(hint ? { hint } : {}),
  });
  if (apiVersion === API_VERSION) return undefined;
  // A Roster kind without apiVersion is kept: the schema then reports the missing field where it belongs.
  if (apiVersion === undefined && typeof kind === 'string' && (Kinds as readonly string[]).includes(kind))
    return undefined;
  if (typeof apiVersion === 'string' && apiVersion.startsWith('roster/')) {
    return at(
      ['apiVersion'],
      'error',
      'api-version',
      `unsupported apiVersion "${apiVersion}": this Roster reads ${API_VERSION}`,
      'upgrade kube-roster, or write the document as roster/v1',
    );
  }
  return at([], 'warning', 'not-roster', `ignored: not a Roster document (apiVersion is not ${API_VERSION})`);
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

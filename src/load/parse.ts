/**
 * The load stage: YAML text in, plain documents with positions out. Pure (no fs): the caller reads files from a
 * directory (`dir.ts`) or from Git and passes them in. Every syntax problem in every file becomes a Diagnostic.
 */

import { createHash } from 'node:crypto';
import type { Alias, Document, LineCounter, YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { API_VERSION, Kinds } from '../model/types.js';
import { jsonSafe, type CachedDocument, type DocumentCache } from './cache.js';
import { locatorOf, positionTree } from './locate.js';
import { TAGGED_HINT, taggedValue } from './tagged.js';
import type { LoadedDocument, RepoFile, SourceFile } from './types.js';
import { yamlLib } from './yaml-lib.js';

export interface LoadResult {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
}

/** Limits on what a repository may hold; beyond them loading stops with a diagnostic instead of running out. */
export const LOAD_LIMITS = {
  /** YAML files in one repository. */
  maxFiles: 10_000,
  /** Characters in one file. */
  maxFileChars: 1024 * 1024,
  /** Alias expansions in one document (yaml's maxAliasCount): an alias bomb stops here. */
  maxAliasCount: 1000,
  /** Nesting of flow collections (`[[[…`): the parser recurses, and thousands of levels take it seconds. */
  maxFlowDepth: 100,
  /** YAML errors reported per file; a pathological file would otherwise print thousands of the same line. */
  maxErrorsPerFile: 5,
} as const;

/** A file the cache did not have, parsed now; `cacheable` when it parsed without a problem into plain JSON. */
export interface ParsedFile {
  blob: string;
  documents: LoadedDocument[];
  cacheable: boolean;
}

/**
 * `loadFiles` through the document cache: a file whose blob is cached is not parsed, its documents come back
 * marked `cached`. `parsed` lists the other files, for the caller to put in the cache once they validated.
 */
export function loadFilesCached(
  files: readonly SourceFile[],
  cache: DocumentCache,
): LoadResult & { parsed: ParsedFile[] } {
  const result: LoadResult & { parsed: ParsedFile[] } = { documents: [], diagnostics: [], parsed: [] };
  if (files.length > LOAD_LIMITS.maxFiles) return { ...result, diagnostics: [tooManyFiles(files)] };
  for (const file of files) {
    const misnamed = checkName(file.path);
    if (misnamed) {
      result.diagnostics.push(misnamed);
      continue;
    }
    if ('documents' in file) {
      for (const d of file.documents) result.documents.push(fromCache(file.path, d));
      continue;
    }
    const blob = file.blob ?? gitBlobId(file.text);
    const hit = file.link === undefined ? cache.get(blob) : undefined;
    if (hit) {
      for (const d of hit) result.documents.push(fromCache(file.path, d));
      continue;
    }
    const { documents, diagnostics } = loadFile(file);
    result.documents.push(...documents);
    result.diagnostics.push(...diagnostics);
    const cacheable = diagnostics.length === 0 && documents.every((d) => jsonSafe(d.value));
    result.parsed.push({ blob, documents, cacheable });
  }
  return result;
}

function fromCache(file: string, d: CachedDocument): LoadedDocument {
  return { file, doc: d.doc, value: d.value, positions: d.positions, ...locatorOf(d.positions), cached: true };
}

/** What `git hash-object` says for this text: files read from a folder are cached under the same ids. */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export function loadFiles(files: readonly RepoFile[]): LoadResult {
  const result: LoadResult = { documents: [], diagnostics: [] };
  if (files.length > LOAD_LIMITS.maxFiles) return { documents: [], diagnostics: [tooManyFiles(files)] };
  for (const file of files) {
    const { documents, diagnostics } = loadFile(file);
    result.documents.push(...documents);
    result.diagnostics.push(...diagnostics);
  }
  return result;
}

/** One file; never throws: whatever its bytes, the result is documents or diagnostics at file:line:col. */
export function loadFile(read: RepoFile): LoadResult {
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lines = new LineCounter();
  // A byte order mark is no column an editor shows: without it, positions on the first line are the editor's.
  const file = read.text.charCodeAt(0) === 0xfeff ? { ...read, text: read.text.slice(1) } : read;
  const refused = checkText(file);
  if (refused) return { documents: [], diagnostics: [refused] };
  const result: LoadResult = { documents: [], diagnostics: [] };
  let docs: Document[];
  try {
    const parsed = parseAllDocuments(file.text, { lineCounter: lines, prettyErrors: false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    return { documents: [], diagnostics: [wholeFile(file.path, `cannot be read as YAML: ${reasonOf(err)}`)] };
  }
  docs.forEach((doc, index) => {
    const problems = [
      ...doc.errors.map((e) => yamlDiagnostic(file.path, e, lines, 'error')),
      ...doc.warnings.map((e) => yamlDiagnostic(file.path, e, lines, 'warning')),
    ];
    result.diagnostics.push(...problems);
    if (doc.errors.length > 0) return;
    const value = documentValue(file.path, doc, lines, result.diagnostics);
    if (value === null || value === undefined) return; // an empty document (or only comments), or refused
    const positions = positionTree(doc, lines);
    const loaded: LoadedDocument = { file: file.path, doc: index, value, positions, ...locatorOf(positions) };
    const verdict = checkApiVersion(loaded);
    if (verdict) result.diagnostics.push(verdict);
    else result.documents.push(loaded);
  });
  result.diagnostics = capErrors(result.diagnostics);
  return result;
}

/**
 * The document as plain JS, or undefined with a diagnostic: an alias whose anchor is not in this document (anchors
 * never cross `---`), or more alias expansions than the limit (an alias bomb), is refused before it is expanded.
 */
function documentValue(file: string, doc: Document, lines: LineCounter, out: Diagnostic[]): unknown {
  const { aliases, unresolved } = aliasesOf(doc);
  const at = (node: Alias | undefined) => lines.linePos(node?.range?.[0] ?? doc.range?.[0] ?? 0);
  for (const alias of unresolved) {
    out.push({
      ...problem(
        file,
        at(alias),
        'yaml-alias',
        `unresolved alias *${alias.source}: no anchor &${alias.source} before it`,
      ),
      hint: `define &${alias.source} earlier in the same document; anchors do not carry across "---"`,
    });
  }
  if (unresolved.length > 0) return undefined;
  try {
    return doc.toJS({ maxAliasCount: LOAD_LIMITS.maxAliasCount }) as unknown;
  } catch (err) {
    const excessive = /alias/i.test(reasonOf(err));
    const message = excessive
      ? `aliases expand to more than ${LOAD_LIMITS.maxAliasCount} nodes (an "alias bomb"); refused`
      : `cannot be read as YAML: ${reasonOf(err)}`;
    const hint = excessive ? 'write the values out, or use fewer nested aliases' : undefined;
    out.push({
      ...problem(file, at(aliases[0]), excessive ? 'yaml-alias' : 'yaml-syntax', message),
      ...(hint ? { hint } : {}),
    });
    return undefined;
  }
}

/**
 * Every alias of the document, and those whose anchor is not set before them: yaml's `Alias.resolve` rule (the
 * last node before the alias, in document order, with that anchor), in one pass. Calling `resolve` per alias walks
 * the whole document each time: 10,000 aliases in a 60 kB file took half a minute.
 */
function aliasesOf(doc: Document): { aliases: Alias[]; unresolved: Alias[] } {
  const { isAlias } = yamlLib();
  const anchors = new Set<string>();
  const aliases: Alias[] = [];
  const unresolved: Alias[] = [];
  yamlLib().visit(doc, {
    Node: (_, node) => {
      if (isAlias(node)) {
        aliases.push(node);
        if (!anchors.has(node.source)) unresolved.push(node);
      } else if (node.anchor) anchors.add(node.anchor);
    },
  });
  return { aliases, unresolved };
}

/**
 * Refuses a file whose name is not UTF-8: a folder's or a Git tree's names are decoded as UTF-8 with U+FFFD for
 * what is not, and no diagnostic could name the file so that a person finds it. Checked before any cached content.
 */
function checkName(path: string): Diagnostic | undefined {
  if (!path.includes('\uFFFD')) return undefined;
  return {
    ...problem(path, { line: 1, col: 1 }, 'encoding', 'the file name is not valid UTF-8 (shown here with U+FFFD)'),
    hint: 'rename the file: Roster reads file names as UTF-8',
  };
}

/**
 * Ignores a symbolic link; refuses a file too large to load, or one that is not valid UTF-8 (decoded with U+FFFD
 * replacement characters).
 */
function checkText(file: RepoFile): Diagnostic | undefined {
  const misnamed = checkName(file.path);
  if (misnamed) return misnamed;
  if (file.link !== undefined) {
    // A warning here (the file is ignored); validation makes it an error once the repository delegates paths.
    return {
      ...problem(
        file.path,
        { line: 1, col: 1 },
        'symlink',
        `is a symbolic link (to ${JSON.stringify(file.link.slice(0, 200))}); ` +
          'Roster does not follow links in a config repository',
      ),
      severity: 'warning',
      hint:
        'a link would read one file under another path, past the review and the Delegation that path has: ' +
        'put the file itself here, or remove the link',
    };
  }
  if (file.text.length > LOAD_LIMITS.maxFileChars) {
    return {
      ...problem(
        file.path,
        positionAt(file.text, LOAD_LIMITS.maxFileChars),
        'too-large',
        `file is over the limit of ${LOAD_LIMITS.maxFileChars} characters`,
      ),
      hint: 'split it into several files; a Roster config file is normally a few kilobytes',
    };
  }
  const deep = flowTooDeep(file.text);
  if (deep >= 0) {
    return {
      ...problem(
        file.path,
        positionAt(file.text, deep),
        'too-deep',
        `nested more than ${LOAD_LIMITS.maxFlowDepth} levels deep`,
      ),
      hint: 'a Roster document is a few levels deep; look for unbalanced [ or {',
    };
  }
  const bad = file.text.indexOf('\uFFFD');
  if (bad >= 0) {
    return {
      ...problem(
        file.path,
        positionAt(file.text, bad),
        'encoding',
        'not valid UTF-8 (or holds the replacement character U+FFFD)',
      ),
      hint: 'save the file as UTF-8',
    };
  }
  const control = file.text.search(CONTROL);
  if (control >= 0) {
    const code = file.text.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0');
    return {
      ...problem(
        file.path,
        positionAt(file.text, control),
        'encoding',
        `holds the control character U+${code}, which YAML does not allow in a file`,
      ),
      hint: 'delete it (an editor that shows invisible characters finds it); YAML text is printable characters only',
    };
  }
  return undefined;
}

/**
 * Characters outside YAML 1.2's printable set (c-printable): C0 controls other than tab, line feed and carriage
 * return, DEL, and C1 controls other than NEL. The parser would take a NUL or an escape sequence into a value.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;

/**
 * Offset of the first `[` or `{` nested deeper than the limit, or -1. A cheap scan that skips quoted strings and
 * comments; it may count a bracket inside a plain scalar, which only matters for a file already this deep.
 */
function flowTooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > LOAD_LIMITS.maxFlowDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
    else if (c === 0x22 || c === 0x27) i = skipQuoted(text, i, c);
    else if (c === 0x23 && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\n')) i = text.indexOf('\n', i) >>> 0;
  }
  return -1;
}

/** Index of the closing quote (or of the line end for an unterminated one). */
function skipQuoted(text: string, start: number, quote: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && quote === 0x22) i++;
    else if (c === quote || c === 0x0a) return i;
  }
  return text.length;
}

function tooManyFiles(files: readonly { path: string }[]): Diagnostic {
  return {
    ...problem(
      files[LOAD_LIMITS.maxFiles]!.path,
      { line: 1, col: 1 },
      'too-many-files',
      `the repository holds more than ${LOAD_LIMITS.maxFiles} YAML files (the limit)`,
    ),
    hint: 'point --repo at the config folder itself, not at a larger tree',
  };
}

/** 1-based line and column of a character offset. */
function positionAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

function problem(
  file: string,
  pos: { line: number; col: number },
  code: Diagnostic['code'],
  message: string,
): Diagnostic {
  return { severity: 'error', code, file, line: pos.line, col: pos.col, path: '', message };
}

function wholeFile(file: string, message: string): Diagnostic {
  return problem(file, { line: 1, col: 1 }, 'yaml-syntax', message);
}

/** At most `maxErrorsPerFile` errors with the same code, and a last one saying how many more there were. */
function capErrors(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Map<string, number>();
  const kept: Diagnostic[] = [];
  for (const d of ds) {
    const n = (seen.get(d.code) ?? 0) + 1;
    seen.set(d.code, n);
    if (d.severity === 'warning' || n <= LOAD_LIMITS.maxErrorsPerFile) kept.push(d);
  }
  for (const [code, n] of seen) {
    const first = ds.find((d) => d.code === code && d.severity === 'error');
    if (first && n > LOAD_LIMITS.maxErrorsPerFile)
      kept.push({ ...first, message: `${n - LOAD_LIMITS.maxErrorsPerFile} more errors like the above in this file` });
  }
  return kept;
}

function reasonOf(err: unknown): string {
  return firstLine(err instanceof Error ? err.message : String(err));
}

function yamlDiagnostic(file: string, e: YAMLError, lines: LineCounter, severity: Diagnostic['severity']): Diagnostic {
  const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
  // The parser ran out of stack ("Maximum call stack size exceeded"): say what that means in the file.
  const exhausted = e.code === 'RESOURCE_EXHAUSTION';
  return {
    severity,
    code: exhausted ? 'too-deep' : severity === 'error' ? 'yaml-syntax' : 'yaml-warning',
    file,
    line: pos.line,
    col: pos.col,
    path: '',
    message: exhausted ? 'nested too deeply to read (hundreds of levels)' : firstLine(e.message),
    hint: YAML_HINTS[e.code] ?? 'check the indentation and quoting at this position',
  };
}

/** How to fix the YAML errors people make most; the others get the generic hint. */
const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  DUPLICATE_KEY: 'a key may appear once in a mapping: keep one of them (or merge their values)',
  BAD_INDENT: 'indent nested entries by the same number of spaces; tabs are not allowed for indentation',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MISSING_CHAR: 'a quote or bracket is not closed',
  MULTIPLE_DOCS: 'separate documents with a line holding only ---',
  RESOURCE_EXHAUSTION: 'a Roster document is a few levels deep; look for a runaway run of "- " or of indentation',
};

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
  const tagged = taggedValue(apiVersion);
  if (tagged) return at(['apiVersion'], 'error', 'schema', `${tagged}, not a string`, TAGGED_HINT);
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

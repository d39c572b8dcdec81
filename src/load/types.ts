/** What the load stage hands to validate: parsed YAML documents that can point back at their source text. */

/** One config file: `path` relative to the repository root with posix separators. */
export interface RepoFile {
  path: string;
  text: string;
  /** The Git blob id of `text`, when it was read from a commit (the document cache's key). */
  blob?: string;
  /**
   * Set when the path is a symbolic link: its target, never followed (loading refuses it). A link would let a file
   * be read under another path than the one its reviewers saw, across a Delegation's limits.
   */
  link?: string;
}

/** A config file whose blob the document cache holds: its documents instead of its text (never read). */
export interface CachedFile {
  path: string;
  blob: string;
  documents: readonly CachedDocument[];
}

/** What the source stage hands to load: files to parse, or files the document cache already holds. */
export type SourceFile = RepoFile | CachedFile;

export interface Position {
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
}

export type JsonPath = readonly (string | number)[];

export interface LoadedDocument {
  file: string;
  /** 0-based index of the document inside its file. */
  doc: number;
  /** The document as plain JS (strings, numbers, booleans, arrays, objects; YAML 1.2 core: no timestamps). */
  value: unknown;
  /** Position of the value at `path`; for a missing property, the nearest existing parent's position. */
  locate(path: JsonPath): Position;
  /** Position of the key at `path` (for an unknown property); falls back to `locate`. */
  locateKey(path: JsonPath): Position;
  /** Where every node starts: what `locate` answers from, and what the document cache keeps. */
  positions: PositionTree;
  /**
   * Set for a document read from the document cache: its file parsed without a problem and its schema check
   * passed when it was cached, under this Roster version and these schemas.
   */
  cached?: true;
}

/** [line, col], both 1-based. */
export type At = [number, number];

/**
 * Where each node of a document starts. `p`: the node (a map entry without a value: its key; no node at all: the
 * document start). `k`: the key of a map entry. `m`: a map's entries by key text, in document order. `s`: a
 * sequence's items. Plain JSON, so it can be cached.
 */
export interface PositionTree {
  p: At;
  k?: At;
  m?: [string, PositionTree][];
  s?: PositionTree[];
}

/** What the document cache keeps of one document (src/load/cache.ts). */
export interface CachedDocument {
  /** 0-based index of the document inside its file. */
  doc: number;
  value: unknown;
  positions: PositionTree;
}

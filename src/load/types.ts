/** What the load stage hands to validate: parsed YAML documents that can point back at their source text. */

/** One config file: `path` relative to the repository root with posix separators. */
export interface RepoFile {
  path: string;
  text: string;
}

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
}

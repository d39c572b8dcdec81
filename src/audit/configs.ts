/**
 * The config of a commit, as a validated model, cheaply: trees are listed once per tree id (so only changed folders
 * are read), each file is parsed once per (blob id, path), and a folder's files can be fetched ahead of time while
 * earlier commits are still being replayed. Validation runs on the parsed documents.
 */

import type { Diagnostic } from '../diagnostics.js';
import type { GitSource } from '../git/index.js';
import { loadFile, type LoadResult } from '../load/index.js';
import type { LoadedDocument } from '../load/types.js';
import type { Model } from '../model/types.js';
import { configFilesOf } from '../source/files.js';
import { validate } from '../validate/index.js';

/** `blobs`: config file path → blob id, so callers can tell unchanged documents apart without comparing them. */
export type ConfigAt =
  { model: Model; blobs: Map<string, string>; errors?: undefined } | { model?: undefined; errors: Diagnostic[] };

interface ParsedFolder {
  documents: LoadedDocument[];
  yamlErrors: Diagnostic[];
  blobs: Map<string, string>;
}

const EMPTY: ParsedFolder = { documents: [], yamlErrors: [], blobs: new Map() };

export class ConfigReader {
  private readonly files = new Map<string, Promise<LoadResult>>();
  private readonly folders = new Map<string, Promise<ParsedFolder>>();

  constructor(private readonly git: GitSource) {}

  /** Starts reading and parsing a folder now; `read` picks the result up later. */
  prefetch(tree: string | undefined): void {
    if (tree) void this.folder(tree).catch(() => undefined);
  }

  /** The model of the config folder whose tree id is `tree`, validated as of `now`; an absent folder is empty. */
  async read(tree: string | undefined, now: Date): Promise<ConfigAt> {
    const folder = tree ? await this.folder(tree) : EMPTY;
    // A folder is read once per run (consecutive duplicates are skipped upstream); its files stay memoized.
    if (tree) this.folders.delete(tree);
    const result = validate(folder.documents, { now });
    const errors = [...folder.yamlErrors, ...result.diagnostics.filter((d) => d.severity === 'error')];
    if (errors.length > 0 || !result.model) return { errors };
    return { model: result.model, blobs: folder.blobs };
  }

  private folder(tree: string): Promise<ParsedFolder> {
    let hit = this.folders.get(tree);
    if (!hit) {
      hit = this.parseFolder(tree);
      this.folders.set(tree, hit);
    }
    return hit;
  }

  private async parseFolder(tree: string): Promise<ParsedFolder> {
    const files = await configFilesOf(this.git, tree);
    const loaded = await Promise.all(files.map((f) => this.parse(f.path, f.oid, f.link)));
    return {
      documents: loaded.flatMap((l) => l.documents),
      yamlErrors: loaded.flatMap((l) => l.diagnostics).filter((d) => d.severity === 'error'),
      blobs: new Map(files.map((f) => [f.path, f.oid])),
    };
  }

  private parse(path: string, oid: string, link?: true): Promise<LoadResult> {
    const key = `${oid}\0${path}${link ? '\0link' : ''}`;
    let hit = this.files.get(key);
    if (!hit) {
      hit = this.git.readText(oid).then((text) => loadFile(link ? { path, text, link: text } : { path, text }));
      this.files.set(key, hit);
    }
    return hit;
  }
}

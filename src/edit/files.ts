/** The config files being edited: each edit replaces a file's text; the change set lists what differs at the end. */

import type { RepoFile } from '../load/types.js';
import { compareCodeUnits } from '../compare.js';

export interface FileChange {
  path: string;
  /** Undefined for a new file. */
  before?: string;
  /** Undefined for a deleted file. */
  after?: string;
}

export class EditedFiles {
  private readonly original: Map<string, string>;
  private readonly current: Map<string, string | undefined>;

  constructor(files: readonly RepoFile[]) {
    this.original = new Map(files.map((f) => [f.path, f.text]));
    this.current = new Map(this.original);
  }

  text(path: string): string {
    const text = this.current.get(path);
    if (text === undefined) throw new Error(`${path}: no such config file`);
    return text;
  }

  has(path: string): boolean {
    return this.current.get(path) !== undefined;
  }

  paths(): string[] {
    return [...this.current].filter(([, t]) => t !== undefined).map(([p]) => p);
  }

  write(path: string, text: string | undefined): void {
    this.current.set(path, text);
  }

  edit(path: string, change: (text: string) => string): void {
    this.write(path, change(this.text(path)));
  }

  /** Every file as the edit leaves it, sorted by path (what the validator reads). */
  result(): RepoFile[] {
    return [...this.current]
      .flatMap(([path, text]) => (text === undefined ? [] : [{ path, text }]))
      .sort((a, b) => compareCodeUnits(a.path, b.path));
  }

  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [path, after] of this.current) {
      const before = this.original.get(path);
      if (before === after) continue;
      out.push({ path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
    }
    return out.sort((a, b) => compareCodeUnits(a.path, b.path));
  }
}

/** What a `roster diff` report shows besides the diff: which two versions were compared. */

import type { AccessDiff } from '../types.js';

export interface Version {
  /** As the user wrote it: `main`, `HEAD~1`, a tag. */
  ref: string;
  commit: string;
}

export interface DiffReport {
  /** The config folder or URL. */
  repo: string;
  base: Version;
  head: Version;
  diff: AccessDiff;
}

export function short(commit: string): string {
  return commit.slice(0, 12);
}

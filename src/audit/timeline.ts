/**
 * `roster audit`: a timeline of access changes from history. Commits whose config folder has the same tree id as the
 * previous one are skipped without reading anything; the rest are parsed once per blob, validated as of their
 * commit date, and replayed incrementally (see replay.ts).
 */

import type { CommitInfo, GitSource } from '../git/index.js';
import { filterChanges, isFiltered, type AuditFilter } from './filter.js';
import { ConfigReader } from './configs.js';
import { firstParentHistory, type HistoryStep } from './history.js';
import { Replay, type StepChanges } from './replay.js';
import { formatDiagnostic } from '../diagnostics.js';
import { hasAccessChanges } from '../review/index.js';
import { formatTime } from '../time.js';

/** How many commits' configs are read ahead of the one being replayed. */
const LOOKAHEAD = 32;

export interface AuditOptions {
  /** Only commits at or after this time are reported; the newest one before it is the starting state. */
  since?: Date;
  filter?: AuditFilter;
}

export interface AuditEvent extends StepChanges {
  commit: string;
  /** Committer date, ISO 8601. */
  date: string;
  author: { name: string; email: string };
  /** The first line of the message. */
  subject: string;
  /** Set when the config did not validate at this commit: Roster would have refused to apply it. */
  invalid?: { errors: number; first: string };
  /** `Roster-Reason`, `Roster-Expires`, `Roster-Requested-By` trailers of the message (written by grant/request). */
  trailers?: Record<string, string>;
}

export interface AuditTimeline {
  events: AuditEvent[];
  /** Commits walked (since `since`). */
  commits: number;
  /** Commits skipped because their config tree was unchanged. */
  unchanged: number;
  /** The history ended at a shallow clone's boundary. */
  truncated: boolean;
}

export async function auditTimeline(
  git: GitSource,
  head: string,
  subdir: string,
  opts: AuditOptions = {},
): Promise<AuditTimeline> {
  const window = await firstParentHistory(git, head, subdir, opts.since);
  const reader = new ConfigReader(git);
  const replay = new Replay();
  const filter = opts.filter ?? {};
  const events: AuditEvent[] = [];
  let lastTree: string | undefined | null = null;
  if (window.baseline) {
    const cfg = await reader.read(window.baseline.tree, window.baseline.commit.committer.date);
    if (cfg.model) replay.step(cfg.model, window.baseline.commit.committer.date, cfg.blobs);
    lastTree = window.baseline.tree;
  }
  let unchanged = 0;
  let ahead = 0;
  for (const [i, step] of window.steps.entries()) {
    // Read and parse upcoming configs while this one is validated and replayed: reading is I/O-bound.
    for (; ahead < Math.min(i + LOOKAHEAD, window.steps.length); ahead++) reader.prefetch(window.steps[ahead]?.tree);
    if (step.tree === lastTree) {
      unchanged++;
      continue;
    }
    lastTree = step.tree;
    const event = await replayStep(step, reader, replay);
    const shown = event.invalid
      ? isFiltered(filter)
        ? undefined
        : event
      : withChanges(event, filterChanges(event, filter), !isFiltered(filter));
    if (shown) events.push(shown);
  }
  return { events, commits: window.steps.length, unchanged, truncated: window.truncated };
}

async function replayStep(step: HistoryStep, reader: ConfigReader, replay: Replay): Promise<AuditEvent> {
  const date = step.commit.committer.date;
  const cfg = await reader.read(step.tree, date);
  if (!cfg.model) {
    const first = cfg.errors[0];
    return {
      ...header(step.commit),
      access: [],
      expiries: [],
      tokens: [],
      roles: [],
      invalid: { errors: cfg.errors.length, first: first ? (formatDiagnostic(first).split('\n')[0] ?? '') : '' },
    };
  }
  return { ...header(step.commit), ...replay.step(cfg.model, date, cfg.blobs) };
}

/** A commit with changes; unfiltered, also a `roster tidy` commit without any (it shows when entries were removed). */
function withChanges(event: AuditEvent, changes: StepChanges, showTidy: boolean): AuditEvent | undefined {
  const tidy = showTidy && event.trailers?.['Roster-Tidy'] !== undefined;
  if (!hasAccessChanges(changes) && !tidy) return undefined;
  return { ...event, ...changes };
}

function header(c: CommitInfo): Omit<AuditEvent, keyof StepChanges> {
  return {
    commit: c.oid,
    date: formatTime(c.committer.date),
    author: { name: c.author.name, email: c.author.email },
    subject: c.message.split('\n')[0] ?? '',
    ...trailersOf(c.message),
  };
}

/** `Roster-*: value` lines of the message's last paragraph, as Git reads trailers. */
export function trailersOf(message: string): { trailers?: Record<string, string> } {
  const last =
    message
      .trimEnd()
      .split(/\n\s*\n/)
      .pop() ?? '';
  const found = [...last.matchAll(/^(Roster-[A-Za-z-]+):[ \t]*(.+)$/gm)];
  return found.length > 0 ? { trailers: Object.fromEntries(found.map((m) => [m[1]!, m[2]!.trim()])) } : {};
}

/**
 * `roster watch`'s engine room: chokidar reports file changes under the config folder, a debounce turns a burst
 * of them (an editor's save, a `git checkout`) into one request, and the SerialRunner keeps it to one run at a
 * time with at most one queued rerun.
 */
import { relative, sep } from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { Debouncer, SerialRunner, realTimers, type Timers } from './queue.js';

/** Quiet time after the last file event before a run starts. */
export const DEFAULT_DEBOUNCE_MS = 300;

/** Never worth a rerun: Git's own bookkeeping, dependencies, editor swap and backup files. */
const IGNORED_SEGMENTS = new Set(['.git', 'node_modules']);
const IGNORED_SUFFIXES = ['.swp', '.swx', '~', '.tmp'];

export interface WatchOptions {
  dir: string;
  /** One run; `reasons` are the changed files (relative to `dir`) since the last run, or `start`. */
  run: (reasons: string[]) => Promise<void>;
  onError?: (err: unknown) => void;
  /** Default 300 ms. */
  debounceMs?: number;
  /** Default true: one run before any change, so the first plan shows at once. */
  runAtStart?: boolean;
  timers?: Timers;
}

export interface RunningWatch {
  /** Resolves when no run is in flight or queued and no debounce is waiting (tests use it). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startWatch(opts: WatchOptions): Promise<RunningWatch> {
  const runner = new SerialRunner(opts.run, opts.onError);
  let changed: string[] = [];
  const debounce = new Debouncer(
    opts.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    () => {
      const batch = changed;
      changed = [];
      runner.request(...batch);
    },
    opts.timers ?? realTimers,
  );
  const watcher = chokidarWatch(opts.dir, { ignoreInitial: true, ignored: (path) => ignoredPath(opts.dir, path) });
  watcher.on('all', (_event, path) => {
    changed.push(relative(opts.dir, path) || '.');
    debounce.poke();
  });
  watcher.on('error', (err) => opts.onError?.(err));
  await ready(watcher);
  if (opts.runAtStart !== false) runner.request('start');
  return {
    settled: async () => {
      while (debounce.waiting || runner.running) await (debounce.waiting ? delay(20) : runner.idle());
    },
    close: async () => {
      debounce.cancel();
      await watcher.close();
      await runner.close();
    },
  };
}

export function ignoredPath(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..')) return false;
  if (rel.split(sep).some((segment) => IGNORED_SEGMENTS.has(segment))) return true;
  return IGNORED_SUFFIXES.some((suffix) => rel.endsWith(suffix));
}

function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve, reject) => {
    watcher.once('ready', () => resolve());
    watcher.once('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

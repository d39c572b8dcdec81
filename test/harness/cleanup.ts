/**
 * Last-resort cleanup: whatever happens to the Node process (tests fail, Ctrl-C, SIGTERM from CI, an uncaught
 * error), no etcd or kube-apiserver outlives it and no temp folder stays behind. Children run in their own
 * process group (detached), so a terminal's Ctrl-C does not reach them: this module is what stops them.
 */
import { rmSync } from 'node:fs';

const groups = new Set<number>();
const folders = new Set<string>();
let installed = false;

/** Remember a child's process group until it is known to have exited. */
export function trackGroup(pgid: number): void {
  install();
  groups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

/** Remember a temp folder to remove at exit if `stop()` never ran. */
export function trackFolder(path: string): void {
  install();
  folders.add(path);
}

export function untrackFolder(path: string): void {
  folders.delete(path);
}

/** SIGKILL a whole process group; quiet when it is already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Synchronous on purpose: it runs from 'exit', where nothing asynchronous gets to finish. */
function killEverything(): void {
  for (const pgid of groups) killGroup(pgid);
  groups.clear();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  folders.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killEverything);
  const signals: [NodeJS.Signals, number][] = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  for (const [signal, code] of signals) {
    process.once(signal, () => {
      process.stderr.write(`\nroster test control plane: ${signal}, stopping etcd and kube-apiserver\n`);
      killEverything();
      process.exit(code);
    });
  }
}

/**
 * A run whose Node process was SIGKILLed (an OOM kill, a CI timeout) had no chance to clean up. Each run's temp
 * folder records its owner pid; the next run removes folders whose owner is gone and kills the processes still
 * using them. Only processes whose command line names that folder are touched: they can only be ours.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killGroup } from './cleanup.js';

export const RUN_PREFIX = 'roster-cp-';
const OWNER_FILE = 'owner.pid';

export function recordOwner(root: string): void {
  writeFileSync(join(root, OWNER_FILE), String(process.pid));
}

/** Returns the folders it removed. Quiet on anything it cannot read. */
export function reapStaleRuns(parent: string): string[] {
  const stale = listRuns(parent).filter((dir) => !ownerAlive(dir));
  for (const dir of stale) {
    for (const pid of pidsUsing(dir)) {
      killGroup(pid); // each child leads its own process group
      killGroup(-pid); // and in case it does not
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
  return stale;
}

function listRuns(parent: string): string[] {
  try {
    return readdirSync(parent)
      .filter((n) => n.startsWith(RUN_PREFIX))
      .map((n) => join(parent, n));
  } catch {
    return [];
  }
}

function ownerAlive(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
  } catch {
    return true; // no owner file (yet): not provably stale
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux only (/proc); elsewhere nothing is killed and only the folder goes. */
function pidsUsing(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  return entries.filter((pid) => commandLine(pid).includes(`${dir}/`)).map(Number);
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

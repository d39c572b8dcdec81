/**
 * One child process of the control plane (etcd or kube-apiserver): its own process group, stdout and stderr
 * in a log file, stopped politely then firmly. Every child is tracked by cleanup.ts until it has exited.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { killGroup, trackGroup, untrackGroup } from './cleanup.js';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<string>;
  running(): boolean;
  /** SIGTERM the process group, SIGKILL it after `graceMs` (default 5000). Resolves when it has exited. */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

export function spawnManaged(opts: {
  name: string;
  bin: string;
  args: string[];
  logPath: string;
  cwd: string;
}): ManagedProcess {
  const log = openSync(opts.logPath, 'a');
  const child = spawn(opts.bin, opts.args, {
    cwd: opts.cwd,
    detached: true,
    stdio: ['ignore', log, log],
    env: childEnv(),
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${opts.name}: could not start ${opts.bin}`);
  trackGroup(pid);
  let done = false;
  const exited = new Promise<string>((resolve) => {
    const finish = (how: string): void => {
      done = true;
      untrackGroup(pid);
      resolve(how);
    };
    child.once('exit', (code, signal) => finish(signal ?? `exit code ${code}`));
    child.once('error', (err) => finish(`spawn error: ${err.message}`));
  });
  // Let a script that forgot stop() end; the 'exit' hook in cleanup.ts still kills the group.
  child.unref();

  const stop = async (stopOpts: { graceMs?: number } = {}): Promise<void> => {
    if (done) return;
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), stopOpts.graceMs ?? 5000);
    await exited;
    clearTimeout(timer);
    killGroup(pid, 'SIGKILL'); // anything the leader left behind in its group
  };
  return { name: opts.name, pid, logPath: opts.logPath, exited, running: () => !done, stop };
}

/** The last `lines` lines of a log file, for error messages. */
export function tailFile(path: string, lines = 40): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

/** The children must not pick up a developer's kubeconfig or proxy settings. */
function childEnv(): NodeJS.ProcessEnv {
  const { KUBECONFIG: _k, HTTPS_PROXY: _h, https_proxy: _l, ...rest } = process.env;
  return { ...rest, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
}

/**
 * `roster serve` as a real child process for integration tests: the built binary, its JSON log lines parsed as
 * they arrive, the port it listens on, its metrics and health endpoints, and a clean or a brutal stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** One JSON log line of `roster serve`: pino's fields plus whatever the line carries. */
export type LogRecord = Record<string, unknown> & { msg: string; level: string; identity?: string; port?: number };

export class ServeProcess {
  readonly logs: LogRecord[] = [];
  /** Everything written to stdout and stderr, for failure messages and leak checks. */
  output = '';
  port: number | undefined;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    const { KUBECONFIG: _k, ...base } = process.env;
    this.child = spawn(
      process.execPath,
      [join(repoRoot, 'dist/src/cli/bin.js'), 'serve', '--listen', '127.0.0.1:0', ...args],
      {
        env: { ...base, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.parse(line);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exit = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The identity this replica uses for leader election (every log line carries it). */
  get identity(): string | undefined {
    return this.logs.find((l) => typeof l.identity === 'string')?.identity;
  }

  private parse(line: string): void {
    if (!line.trim()) return;
    try {
      const record = JSON.parse(line) as LogRecord;
      this.logs.push(record);
      if (record.msg === 'http server listening') this.port = record.port;
    } catch {
      // Not JSON: kept in `output` for the failure message.
    }
  }

  /** Resolves once the HTTP server is up; fails early if the process died. */
  async started(timeoutMs = 20_000): Promise<void> {
    await this.until('the HTTP server to listen', () => this.port !== undefined, timeoutMs);
  }

  async get(path: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${this.port}${path}`);
    return { status: res.status, text: await res.text() };
  }

  async metrics(): Promise<string> {
    return (await this.get('/metrics')).text;
  }

  /** Polls `probe` until it returns true; the process's output is in the failure message. */
  async until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exit.then(() => (exited = true));
    while (!(await probe())) {
      if (exited) throw new Error(`roster serve exited while waiting for ${what}:\n${this.output.slice(-4000)}`);
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.output.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** SIGKILL if still running; for cleanup after a failed test. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exit;
  }
}

/**
 * Runs the pinned kubectl against one cluster of the control plane, with the run's kubeconfig and nothing
 * from the developer's environment.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runKubectl(opts: {
  binDir: string;
  kubeconfigPath: string;
  context: string;
  args: string[];
  input?: string;
  timeoutMs?: number;
}): Promise<KubectlResult> {
  const args = [`--kubeconfig=${opts.kubeconfigPath}`, `--context=${opts.context}`, ...opts.args];
  const { KUBECONFIG: _k, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(join(opts.binDir, 'kubectl'), args, {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

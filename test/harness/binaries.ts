/**
 * The pinned etcd, kube-apiserver, kube-controller-manager and kubectl. build.sh is the single source of truth for
 * where they live: it reuses a finished build (or KUBEBUILDER_ASSETS) in well under a second and builds them from
 * source otherwise.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';
import { BinaryBuildError } from './errors.js';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl'] as const;

let cached: Promise<string> | undefined;

/** The folder holding the four binaries; built on first use. Build progress goes to `log`. */
export function ensureBinaries(opts: { log?: (line: string) => void } = {}): Promise<string> {
  cached ??= runBuildScript(opts.log ?? (() => {})).then(checkBinaries);
  cached.catch(() => (cached = undefined));
  return cached;
}

function runBuildScript(log: (line: string) => void): Promise<string> {
  const script = join(repoRoot, 'test', 'controlplane', 'build.sh');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const stderr: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        stderr.push(line);
        log(`build.sh: ${line}`);
      }
    });
    child.once('error', (err) =>
      reject(new BinaryBuildError(`test/controlplane/build.sh could not run: ${err.message}`)),
    );
    child.once('close', (code) => {
      const binDir = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && binDir !== '') return resolve(binDir);
      const tail = stderr.slice(-40).join('\n');
      reject(
        new BinaryBuildError(
          `test/controlplane/build.sh failed (exit ${code}); it needs Go and network access on a cold machine:\n` +
            `${tail}`,
          { code },
        ),
      );
    });
  });
}

function checkBinaries(binDir: string): string {
  for (const name of BINARIES) {
    try {
      accessSync(join(binDir, name), constants.X_OK);
    } catch {
      throw new BinaryBuildError(`${join(binDir, name)}: missing or not executable after test/controlplane/build.sh`, {
        binDir,
      });
    }
  }
  return binDir;
}

/**
 * One single-member etcd for one test cluster: loopback only, free ports, its own data folder, no fsync
 * (test data is thrown away, and fsync dominates start-up and write latency on CI disks).
 */
import { get } from 'node:http';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { spawnManaged, type ManagedProcess } from './process.js';
import { pollUntil } from './poll.js';

export interface Etcd {
  clientUrl: string;
  process: ManagedProcess;
}

export async function startEtcd(opts: { binDir: string; dir: string }): Promise<Etcd> {
  const clientUrl = `http://127.0.0.1:${await freePort()}`;
  const peerUrl = `http://127.0.0.1:${await freePort()}`;
  const args = [
    '--name=default',
    `--data-dir=${join(opts.dir, 'etcd-data')}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
    '--unsafe-no-fsync',
  ];
  const process = spawnManaged({
    name: 'etcd',
    bin: join(opts.binDir, 'etcd'),
    args,
    logPath: join(opts.dir, 'etcd.log'),
    cwd: opts.dir,
  });
  return { clientUrl, process };
}

/** Resolves once etcd answers /health with {"health":"true"}; rejects if it exits or `timeoutMs` passes. */
export function waitForEtcd(etcd: Etcd, timeoutMs: number): Promise<void> {
  return pollUntil({ what: 'etcd /health', timeoutMs, process: etcd.process, probe: () => healthy(etcd.clientUrl) });
}

function healthy(clientUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${clientUrl}/health`, { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"true"')));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

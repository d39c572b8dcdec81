/**
 * CPU time of one benchmark cluster's server processes (kube-apiserver and its etcd), read from /proc: on a
 * 2-core machine the client and the API server share the CPU, so where a cold apply's time goes is as much the
 * server's CPU as the client's.
 */

import { readdirSync, readFileSync } from 'node:fs';
import type { ControlPlane } from '../../test/harness/index.js';

/** Processes whose command line contains `needle`, by pid. */
function pidsWith(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function argOf(pid: number, flag: string): string | undefined {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

/** User + system CPU of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface ServerCpu {
  apiserver: number;
  etcd: number;
}

/** A reader of the cluster's server CPU so far; undefined when the processes are not found (an external cluster). */
export function serverCpu(cp: ControlPlane, cluster: string): (() => ServerCpu) | undefined {
  const port = new URL(cp.cluster(cluster).server).port;
  const [apiserver] = pidsWith(`--secure-port=${port}`);
  if (apiserver === undefined) return undefined;
  const etcdUrl = argOf(apiserver, '--etcd-servers');
  const [etcd] = etcdUrl ? pidsWith(`--listen-client-urls=${etcdUrl}`) : [];
  return () => ({ apiserver: cpuMs(apiserver), etcd: etcd === undefined ? 0 : cpuMs(etcd) });
}

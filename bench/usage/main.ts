/**
 * Usage benchmark (not a test): `npx tsc -p . && node dist/bench/usage/main.js [MiB ...]` (default 100 1024).
 * For each size, generates a synthetic audit log (bench/usage/generate.ts), then runs `roster usage`'s counting in
 * a child process and reports throughput in MB/s and that process's peak RSS. The same peak RSS for 100 MB and
 * 1 GB is what "constant memory" means here; each size also runs with the V8 heap capped at 64 MiB, which
 * would fail if memory grew with the log. A gzip run of the smallest size shows the decompression cost.
 *
 * Each run is compared, in the same run and on the same file, with named floors: `wc -l` (reading the bytes),
 * `jq` selecting the counted events (parsing every line in C), Node's readline + JSON.parse (bench/usage/floor.ts:
 * parsing every line in Node, the least Roster can do) and for gzip `zcat | wc -l`. The ratios say how far above
 * each floor Roster's attribution costs, in CPU time (steadier than wall time on a shared machine).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { generateLog } from './generate.js';

const SIZES_MIB = process.argv.slice(2).map(Number);
const counter = fileURLToPath(new URL('./count.js', import.meta.url));
const nodeFloor = fileURLToPath(new URL('./floor.js', import.meta.url));

interface Measured {
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
  requests: number;
  lines: number;
  byRoster: number;
}

/** V8 grows its heap lazily when it has room; a capped heap shows what the counting really needs. */
const CAPPED_HEAP_MIB = 64;

function count(file: string, cappedHeap = false): Measured {
  const flags = cappedHeap ? [`--max-old-space-size=${CAPPED_HEAP_MIB}`] : [];
  return JSON.parse(execFileSync(process.execPath, [...flags, counter, file], { encoding: 'utf8' })) as Measured;
}

interface Floor {
  name: string;
  ms: number;
  cpuMs: number;
  maxRssMiB: number;
}

/** A shell pipeline timed by GNU time (wall, user + system CPU of every process in it, largest peak RSS). */
function shellFloor(name: string, script: string, file: string): Floor | string {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', script, 'floor', file], {
    encoding: 'utf8',
  });
  const figures = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(run.stderr ?? '');
  if (run.status !== 0 || !figures) return `${name}: not measured (${(run.stderr || String(run.error)).trim()})`;
  const [, wall, user, sys, rssKiB] = figures.map(Number) as [number, number, number, number, number];
  return {
    name,
    ms: Math.round(wall * 1000),
    cpuMs: Math.round((user + sys) * 1000),
    maxRssMiB: Math.round(rssKiB / 1024),
  };
}

function nodeFloorOf(file: string): Floor {
  const m = JSON.parse(execFileSync(process.execPath, [nodeFloor, file], { encoding: 'utf8' })) as Measured;
  return { name: 'node readline + JSON.parse', ms: m.ms, cpuMs: m.cpuMs, maxRssMiB: m.maxRssMiB };
}

function floors(file: string, gzip: boolean): Array<Floor | string> {
  const hasJq = spawnSync('jq', ['--version']).status === 0;
  const jq = `jq -r 'select(.stage == "ResponseComplete") | .user.username'`;
  return [
    gzip ? shellFloor('zcat | wc -l', 'zcat "$1" | wc -l', file) : shellFloor('wc -l', 'wc -l "$1"', file),
    hasJq
      ? shellFloor(`${gzip ? 'zcat | ' : ''}jq select`, gzip ? `zcat "$1" | ${jq} | wc -l` : `${jq} "$1" | wc -l`, file)
      : 'jq: not installed',
    nodeFloorOf(file),
  ];
}

function compare(bytes: number, m: Measured, against: Array<Floor | string>): void {
  const mb = bytes / 1e6;
  for (const f of against) {
    if (typeof f !== 'string' && f.cpuMs === 0) {
      console.log(`    vs ${f.name}: under GNU time's 10 ms resolution (${f.ms} ms wall)`);
      continue;
    }
    if (typeof f === 'string') {
      console.log(`    vs ${f}`);
      continue;
    }
    console.log(
      `    vs ${f.name}: ${(mb / (f.cpuMs / 1000)).toFixed(1)} MB/s CPU (${f.cpuMs} ms CPU, ${f.ms} ms wall), ` +
        `peak RSS ${f.maxRssMiB} MiB; Roster takes ${(m.cpuMs / f.cpuMs).toFixed(1)}x its CPU time, ` +
        `${(m.ms / f.ms).toFixed(1)}x its wall time`,
    );
  }
}

function report(label: string, bytes: number, m: Measured): void {
  const mb = bytes / 1e6;
  console.log(
    `${label}: ${mb.toFixed(0)} MB, ${m.lines} lines (${m.byRoster} credited to Roster grants) in ${m.ms} ms wall / ` +
      `${m.cpuMs} ms CPU → ${(mb / (m.ms / 1000)).toFixed(1)} MB/s wall, ` +
      `${(mb / (m.cpuMs / 1000)).toFixed(1)} MB/s CPU; ` +
      `peak RSS ${m.maxRssMiB} MiB`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-bench-usage-'));
  console.log(
    `machine: load average at the start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  try {
    const sizes = SIZES_MIB.length > 0 ? SIZES_MIB : [100, 1024];
    const empty = join(dir, 'empty.log');
    await generateLog(empty, 0);
    console.log(
      `baseline: peak RSS ${count(empty).maxRssMiB} MiB for an empty log (Node, Roster's modules, the config)`,
    );
    for (const [i, mib] of sizes.entries()) {
      const file = join(dir, `audit-${mib}.log`);
      const generated = await generateLog(file, mib * 1024 * 1024);
      const plain = count(file);
      report(`plain ${mib} MiB`, generated.bytes, plain);
      compare(generated.bytes, plain, floors(file, false));
      report(`plain ${mib} MiB, heap capped at ${CAPPED_HEAP_MIB} MiB`, generated.bytes, count(file, true));
      if (i === 0) {
        await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`));
        const m = count(`${file}.gz`);
        console.log(`  (gzip: ${(statSync(`${file}.gz`).size / 1e6).toFixed(0)} MB compressed)`);
        report(`gzip ${mib} MiB`, generated.bytes, m);
        compare(generated.bytes, m, floors(`${file}.gz`, true));
      }
      rmSync(file, { force: true });
    }
    console.log(
      `machine: ${availableParallelism()} CPUs, load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * Usage benchmark (not a test): `npx tsc -p . && node dist/bench/usage/main.js [MiB ...]` (default 100 1024).
 * For each size, generates a synthetic audit log (bench/usage/generate.ts), then runs `roster usage`'s counting in
 * a child process and reports throughput in MB/s and that process's peak RSS. The same peak RSS for 100 MB and
 * 1 GB is what "constant memory" means here; each size also runs with the V8 heap capped at 64 MiB, which
 * would fail if memory grew with the log. A gzip run of the smallest size shows the decompression cost.
 */

import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { generateLog } from './generate.js';

const SIZES_MIB = process.argv.slice(2).map(Number);
const counter = fileURLToPath(new URL('./count.js', import.meta.url));

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
      report(`plain ${mib} MiB`, generated.bytes, count(file));
      report(`plain ${mib} MiB, heap capped at ${CAPPED_HEAP_MIB} MiB`, generated.bytes, count(file, true));
      if (i === 0) {
        await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`));
        const m = count(`${file}.gz`);
        console.log(`  (gzip: ${(statSync(`${file}.gz`).size / 1e6).toFixed(0)} MB compressed)`);
        report(`gzip ${mib} MiB`, generated.bytes, m);
      }
      rmSync(file, { force: true });
    }
    console.log(
      `machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

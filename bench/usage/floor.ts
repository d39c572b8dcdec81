/**
 * The Node floor for bench/usage, run in its own process like count.ts: `node dist/bench/usage/floor.js FILE` reads
 * the log with node:readline (gunzip when it is gzip) and JSON.parses every line, the least any Node tool reading
 * audit events must do, and prints {ms, cpuMs, maxRssMiB, lines, events}. Roster's cost above it is attribution.
 */

import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { startMeasuring } from './measure.js';

const file = process.argv[2]!;
const measuring = startMeasuring();
const head = Buffer.alloc(2);
const fd = openSync(file, 'r');
readSync(fd, head, 0, 2, 0);
closeSync(fd);
const raw = createReadStream(file, { highWaterMark: 1024 * 1024 });
const input = head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
let lines = 0;
let events = 0;
for await (const line of createInterface({ input, crlfDelay: Infinity })) {
  lines++;
  if ((JSON.parse(line) as { stage?: string }).stage === 'ResponseComplete') events++;
}
measuring.print({ lines, events });

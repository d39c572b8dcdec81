/**
 * The measured half of bench/usage, run in its own process so its peak RSS is Roster's alone:
 * `node dist/bench/usage/count.js FILE` prints one JSON line {ms, cpuMs, maxRssMiB, requests, lines}.
 */

import { readConfig } from '../../src/config/read.js';
import { countUsage } from '../../src/usage/index.js';
import { examplesDir } from '../../test/support/paths.js';
import { join } from 'node:path';
import { startMeasuring } from './measure.js';

const file = process.argv[2]!;
const at = new Date('2026-12-01T00:00:00Z');
const { model } = await readConfig({ repo: join(examplesDir, 'acme'), worktree: true }, at);
if (!model) throw new Error('examples/acme does not validate');
const cluster = model.clusters.find((c) => c.name === 'prod-eu')!;
const measuring = startMeasuring();
const report = await countUsage({ model, logs: [{ cluster, file }], now: at, unusedForDays: 90 });
measuring.print({
  requests: report.totals.requests,
  lines: report.totals.lines,
  byRoster: report.totals.byRoster,
});

/**
 * Compile benchmark (not a test): `npx tsc -p . && node dist/bench/compile/main.js`.
 * Generates a synthetic repo at 1× (≈100k RoleBindings) and 10×, runs load + validate + compile on each in a fresh
 * child process (so peak RSS is per size), and prints a table plus the 10×/1× time ratio.
 * Targets at 1×: validate + compile < 3 s, peak RSS < 1 GiB; growth near-linear (ratio ≈ 10).
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, type Measurement } from './measure.js';

const SCALES = [1, 10];

async function child(scale: number): Promise<void> {
  const result = await measure(scale);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(scale: number): Measurement {
  const script = fileURLToPath(import.meta.url);
  // 10× holds ~1M objects plus their access entries; give V8 room so the run measures time, not GC thrash.
  const run = spawnSync(process.execPath, ['--max-old-space-size=12288', script, '--child', String(scale)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`bench child for ${scale}x failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measurement;
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](i === 0 ? 6 : 11)).join(' ');
}

function main(): void {
  const results = SCALES.map(runChild);
  console.log(row(['scale', 'teams', 'bindings', 'load ms', 'validate ms', 'compile ms', 'total ms', 'peak RSS MiB']));
  for (const r of results) {
    const validate = r.validateMs === null ? 'n/a' : r.validateMs;
    console.log(row([`${r.scale}x`, r.teams, r.bindings, r.loadMs, validate, r.compileMs, r.totalMs, r.maxRssMiB]));
  }
  const [one, ten] = results;
  if (results.some((r) => r.validateMs === null)) console.log('validate: src/validate/index.js not found; measured load + compile only');
  console.log(`ratio 10x/1x: ${(ten!.totalMs / one!.totalMs).toFixed(2)}`);
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(Number(process.argv[at + 1]));
else main();

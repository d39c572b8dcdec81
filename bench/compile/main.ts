/**
 * Compile benchmark (not a test): `npx tsc -p . && node dist/bench/compile/main.js`.
 * Generates a synthetic repo at 1× (≈100k RoleBindings) and 10×, runs validate + compile on each in a fresh child
 * process (so peak RSS is per size), and prints a table plus the 10×/1× time ratio.
 * Targets at 1×: validate + compile < 3 s, peak RSS < 1 GiB; growth near-linear (ratio ≈ 10).
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, type Measurement, type Stage } from './measure.js';

const SCALES = [1, 10];

function runChild(scale: number): Measurement {
  const script = fileURLToPath(import.meta.url);
  // 10× holds ~1M objects; give V8 room so the run measures work, not a heap limit.
  const args = ['--max-old-space-size=12288', script, '--child', String(scale)];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`bench child for ${scale}x failed (${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as Measurement;
}

const fmt = (s: Stage) => `${s.ms} (${s.cpuMs})`;
const total = (r: Measurement): Stage => ({
  ms: r.validate.ms + r.compile.ms,
  cpuMs: r.validate.cpuMs + r.compile.cpuMs,
});

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(6) : String(c).padStart(i < 3 ? 9 : 15))).join(' ');
}

function main(): void {
  const results = SCALES.map(runChild);
  const validateLabel = results[0]!.validate.parseOnly ? 'parse ms' : 'validate ms';
  console.log(
    row(['scale', 'teams', 'bindings', validateLabel, 'compile ms', 'total ms', 'access ms', 'peak RSS MiB']),
  );
  for (const r of results) {
    console.log(
      row([
        `${r.scale}x`,
        r.teams,
        r.bindings,
        fmt(r.validate),
        fmt(r.compile),
        fmt(total(r)),
        fmt(r.access),
        r.maxRssMiB,
      ]),
    );
  }
  console.log('wall ms (cpu ms); validate = validateRepo (parse + validate); total = validate + compile;');
  console.log('access = first read of the access view, which compile derives lazily (views read it, apply does not)');
  const [one, ten] = results.map(total);
  console.log(`ratio 10x/1x: ${(ten!.ms / one!.ms).toFixed(2)} (cpu ${(ten!.cpuMs / one!.cpuMs).toFixed(2)})`);
}

const at = process.argv.indexOf('--child');
if (at >= 0) process.stdout.write(`${JSON.stringify(await measure(Number(process.argv[at + 1])))}\n`);
else main();

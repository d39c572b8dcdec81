/**
 * Start-up (not a test): `npm run build && node dist/bench/startup/main.js [runs]`. Wall time of `roster --version`
 * and of `roster validate --repo examples/acme` (the committed example, read from HEAD) as new processes: the
 * first validate with an empty document cache, then warm; `node -e 0` alone as the floor. Median and minimum of
 * RUNS runs each, with the load average (this machine may be shared). Targets: --version ≤ 120 ms, validate ≤ 250 ms.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, load, median, ROSTER_BIN } from '../reconcile/tools.js';

const RUNS = Number(process.argv[2] ?? 15);
const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'acme');

async function timed(label: string, args: string[], env: NodeJS.ProcessEnv, before?: () => void): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const res = await exec(process.execPath, args, { env });
    if (res.code !== 0) throw new Error(`${label} exited ${res.code}: ${res.stderr.slice(0, 500)}`);
    times.push(res.ms);
  }
  const min = Math.min(...times);
  console.log(
    `  ${label.padEnd(40)} median ${median(times).toFixed(0).padStart(4)} ms, ` +
      `min ${min.toFixed(0).padStart(4)} ms  (${load()})`,
  );
}

async function main(): Promise<void> {
  const cache = mkdtempSync(join(tmpdir(), 'roster-startup-'));
  const env = { ...process.env, XDG_CACHE_HOME: cache };
  const empty = () => rmSync(join(cache, 'roster'), { recursive: true, force: true });
  try {
    console.log(`${RUNS} runs each (${load()})`);
    await timed('node -e 0 (the floor)', ['-e', '0'], env);
    await timed('roster --version', [ROSTER_BIN, '--version'], env);
    await timed('roster validate examples/acme, empty cache', [ROSTER_BIN, 'validate', '--repo', EXAMPLE], env, empty);
    await timed('roster validate examples/acme, warm cache', [ROSTER_BIN, 'validate', '--repo', EXAMPLE], env);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

await main();

/**
 * Audit benchmark (not a test): `npx tsc -p . && node dist/bench/audit/main.js [commits] [teams]`.
 * Generates a history of 1,000 commits over 200 team files, then times `roster audit` over all of it, and a naive
 * baseline that reads, validates and compiles every commit in full and compares whole access indexes.
 * Target: audit under 10 s.
 */

import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../src/compile/index.js';
import { run } from '../../src/cli/main.js';
import { reviewChange, type Side } from '../../src/review/index.js';
import { openGit, readCommitFiles } from '../../src/source/index.js';
import { validateRepo } from '../../src/validate/index.js';
import { generateHistory } from './history.js';

const COMMITS = Number(process.argv[2] ?? 1000);
const TEAMS = Number(process.argv[3] ?? 200);
/** The naive baseline is slow by design: measure this many commits and extrapolate. */
const NAIVE_SAMPLE = 150;

/** Wall time, and CPU time (user + system) of this process: on a busy machine the CPU figure is the steadier one. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: Math.round(performance.now() - start), cpuMs: Math.round((used.user + used.system) / 1000), value };
}

async function rosterAudit(dir: string): Promise<{ events: number }> {
  let out = '';
  const code = await run(['audit', '--repo', join(dir, 'config'), '-o', 'json'], {
    out: (t) => void (out += t),
    err: (t) => void process.stderr.write(t),
    color: false,
  });
  if (code !== 0) throw new Error(`roster audit exited ${code}`);
  const events = (JSON.parse(out) as { events: Array<{ invalid?: { first: string } }> }).events;
  const invalid = events.find((e) => e.invalid);
  if (invalid) throw new Error(`the generated history does not validate: ${invalid.invalid?.first}`);
  return { events: events.length };
}

/** Every commit read, validated and compiled from scratch; consecutive configs compared in full. */
async function naiveAudit(dir: string, limit: number): Promise<number> {
  const checkout = await openGit(join(dir, 'config'));
  if (!checkout) throw new Error('not a repository');
  const chain: string[] = [];
  for (
    let oid: string | undefined = await checkout.git.resolveCommit('HEAD');
    oid;
    oid = (await checkout.git.readCommit(oid)).parents[0]
  )
    chain.push(oid);
  let previous: Side | undefined;
  let changes = 0;
  for (const oid of chain.reverse().slice(0, limit)) {
    const at = (await checkout.git.readCommit(oid)).committer.date;
    const { model } = validateRepo(await readCommitFiles(checkout, oid, oid), { now: at });
    if (!model) continue;
    const side: Side = {
      model,
      result: compile(
        model,
        model.clusters.map((c) => ({ name: c.name })),
        at,
      ),
    };
    if (previous) changes += reviewChange(previous, side).access.length;
    previous = side;
  }
  return changes;
}

async function main(): Promise<void> {
  const generated = await timed(() => generateHistory({ commits: COMMITS, teams: TEAMS }));
  const { dir } = generated.value;
  try {
    console.log(`history: ${COMMITS} commits over ${TEAMS} team files, generated in ${generated.ms} ms (${dir})`);
    const audit = await timed(() => rosterAudit(dir));
    console.log(
      `roster audit: ${audit.ms} ms wall, ${audit.cpuMs} ms CPU ` +
        `for ${COMMITS} commits (${audit.value.events} events), target < 10000 ms`,
    );
    const sample = Math.min(NAIVE_SAMPLE, COMMITS);
    const naive = await timed(() => naiveAudit(dir, sample));
    const naiveFull = Math.round((naive.ms * COMMITS) / sample);
    const naiveCpu = Math.round((naive.cpuMs * COMMITS) / sample);
    console.log(
      `naive baseline: ${naive.ms} ms wall, ${naive.cpuMs} ms CPU for the first ${sample} commits → ` +
        `~${naiveFull} ms wall, ~${naiveCpu} ms CPU for ${COMMITS} (extrapolated)`,
    );
    console.log(
      `ratio naive/roster: ${(naiveFull / audit.ms).toFixed(1)}x wall, ${(naiveCpu / audit.cpuMs).toFixed(1)}x CPU`,
    );
    console.log(
      `machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

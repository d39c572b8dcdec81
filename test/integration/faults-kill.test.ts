/**
 * `kill -9` of `roster apply` at random points, with creates and prunes in flight: two commits share a set of
 * grants and each has grants of its own, and every trial switches from one to the other and kills the run part way.
 * Throughout (a poller lists the bindings every ~100 ms), no binding both commits declare may ever be missing;
 * after each kill the next run of the same commit must converge (exit 0, exactly the commit's bindings live).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { seededRandom } from '../harness/fault-proxy.js';
import { createNamespaces, ownedBindings } from './fault-support.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, podReader, repoYaml, roster, TempRepo, unique } from './reconcile-support.js';

const TRIALS = Number(process.env.ROSTER_KILL_TRIALS ?? 20);
const SEED = Number(process.env.ROSTER_KILL_SEED ?? 9);
const CLUSTER = 'east';
const NAMESPACES = 3;
const SHARED_TEAMS = 15;
const OWN_TEAMS = 20;

describe('fault suite: kill -9 of roster apply at random points', function () {
  this.timeout(900_000);
  const instance = unique('kill');
  const role = unique('kill-reader');
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => unique(`kill${i}`));
  const repo = new TempRepo();
  const random = seededRandom(SEED);

  const teams = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      name: `${prefix}${i}`,
      users: [`${prefix}${i}@example.com`],
      grants: [{ role, namespaces }],
    }));
  const shared = teams('shared', SHARED_TEAMS);
  const commits = {
    a: repoYaml({
      instance,
      clusters: [{ name: CLUSTER }],
      roles: [podReader(role)],
      teams: [...shared, ...teams('a', OWN_TEAMS)],
    }),
    b: repoYaml({
      instance,
      clusters: [{ name: CLUSTER }],
      roles: [podReader(role)],
      teams: [...shared, ...teams('b', OWN_TEAMS)],
    }),
  };
  /** Binding names are roster:team:<team>:<role>, so a name tells which commit declares it. */
  const teamOf = (binding: string) => /^roster:team:([a-z]+\d+):/.exec(binding)?.[1] ?? binding;

  async function live(): Promise<string[]> {
    const names: string[] = [];
    for (const ns of namespaces) for (const b of await ownedBindings(CLUSTER, ns, instance)) names.push(`${ns}/${b}`);
    return names;
  }

  before(async () => {
    await createNamespaces([CLUSTER], namespaces);
    repo.write(commits.a);
    const first = await roster(repo, 'apply');
    assert.equal(first.code, 0, first.err);
  });

  after(async () => {
    await cleanUp(instance, namespaces);
    repo.remove();
  });

  /** `roster apply` as its own process, as users run it; resolves with how it ended. */
  function spawnApply(): { done: Promise<{ code: number | null; signal: string | null; ms: number }>; kill(): void } {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['dist/src/cli/bin.js', 'apply', '--repo', repo.dir, '--kubeconfig', controlPlane().kubeconfigPath],
      { stdio: 'ignore' },
    );
    const done = new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - started })),
    );
    return { done, kill: () => void child.kill('SIGKILL') };
  }

  /**
   * Watches a run: lists the bindings until the first one changes (the run's first write), then kills the run
   * `killAfterMs` later when given. Resolves with how the run ended and how long its writes took as seen by LISTs.
   */
  async function writesOf(
    run: ReturnType<typeof spawnApply>,
    killAfterMs?: number,
  ): Promise<{ ended: Awaited<typeof run.done>; writesMs: number }> {
    let exited = false;
    void run.done.then(() => (exited = true));
    const before = (await live()).join('\n');
    while (!exited && (await live()).join('\n') === before) await new Promise((r) => setTimeout(r, 10));
    const firstWrite = Date.now();
    if (!exited && killAfterMs !== undefined) {
      const timer = setTimeout(() => run.kill(), killAfterMs);
      void run.done.then(() => clearTimeout(timer));
    }
    const ended = await run.done;
    return { ended, writesMs: Date.now() - firstWrite };
  }

  it(`${TRIALS} trials: no shared grant ever missing, the next run converges`, async () => {
    // How long the writes of a whole run take as a process (from the first change a LIST sees to the exit), so that
    // kills land anywhere from the first create to the last delete, however long start-up takes on a loaded machine.
    repo.write(commits.b);
    const calibration = await writesOf(spawnApply());
    assert.equal(calibration.ended.code, 0, 'a run that is not killed converges');
    repo.write(commits.a);
    assert.equal((await roster(repo, 'apply')).code, 0);

    const sharedCount = SHARED_TEAMS * NAMESPACES;
    let polls = 0;
    let missingSeen = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const names = await live();
        const present = names.filter((n) => teamOf(n.split('/')[1]!).startsWith('shared')).length;
        polls += 1;
        if (present !== sharedCount) missingSeen += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    let killedMidway = 0;
    let partial = 0;
    let midCreate = 0;
    let midPrune = 0;
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const target = trial % 2 === 0 ? 'b' : 'a';
        const other = target === 'a' ? 'b' : 'a';
        repo.write(commits[target]);
        // The span ends at the exit, after the report is printed: aim at its first 70%, where the writes are.
        const delay = Math.round(0.7 * calibration.writesMs * random());
        const run = spawnApply();
        const { ended } = await writesOf(run, delay);
        if (ended.signal === 'SIGKILL') killedMidway += 1;
        // Partial: some of the target's own bindings missing, or some of the other commit's still there.
        const names = (await live()).map((n) => teamOf(n.split('/')[1]!));
        const own = names.filter((t) => t.startsWith(target)).length;
        const stale = names.filter((t) => t.startsWith(other)).length;
        if (own < OWN_TEAMS * NAMESPACES || stale > 0) partial += 1;
        // Creates come before prunes: some of its own missing is a kill among the creates; all there and some of
        // the other commit's left is a kill among the prunes (or just before them).
        if (own < OWN_TEAMS * NAMESPACES) midCreate += 1;
        else if (stale > 0) midPrune += 1;
        assert.equal(
          names.filter((t) => t.startsWith('shared')).length,
          sharedCount,
          `trial ${trial}: a shared grant is missing`,
        );
        // The next run converges.
        const next = await roster(repo, 'apply');
        assert.equal(next.code, 0, `trial ${trial}: the run after the kill: ${next.err}`);
        const after = (await live()).map((n) => teamOf(n.split('/')[1]!));
        assert.equal(after.filter((t) => t.startsWith(target)).length, OWN_TEAMS * NAMESPACES);
        assert.equal(after.filter((t) => t.startsWith(other)).length, 0);
      }
    } finally {
      polling = false;
      await poller;
    }
    console.log(
      `      kill -9: ${TRIALS} trials (seed ${SEED}), ${killedMidway} killed before finishing, ${partial} left a ` +
        `half-applied state (${midCreate} among the creates, ${midPrune} among the prunes); ` +
        `shared grants missing in ${missingSeen} of ${polls} polls; ` +
        `runs to converge after each kill: 1; a whole run takes ${calibration.ended.ms} ms as a process, ` +
        `its writes ${calibration.writesMs} ms; ` +
        `load ${loadavg()[0]!.toFixed(1)}`,
    );
    assert.equal(missingSeen, 0, 'a grant both commits declare went missing during a trial');
    assert.ok(partial >= TRIALS / 2, `only ${partial} of ${TRIALS} kills landed mid-apply`);
    assert.ok(midCreate > 0 && midPrune > 0, `kills among creates ${midCreate}, among prunes ${midPrune}: want both`);
  });
});

/** chokidar wiring of `roster watch` on a real temp folder, with short real timers. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ignoredPath, startWatch, type RunningWatch } from '../../../src/serve/watch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('roster watch: file events', function () {
  this.timeout(20_000);
  let dir: string;
  let watcher: RunningWatch | undefined;
  const runs: string[][] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roster-watch-'));
    mkdirSync(join(dir, 'teams'));
    writeFileSync(join(dir, 'roster.yaml'), 'kind: Settings\n');
    runs.length = 0;
  });
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs once at start, then once per burst of saves with the changed files as reasons', async () => {
    watcher = await startWatch({ dir, debounceMs: 150, run: async (reasons) => void runs.push(reasons) });
    await until('the start run', () => runs.length === 1);
    assert.deepEqual(runs[0], ['start']);
    writeFileSync(join(dir, 'teams', 'a.yaml'), 'a: 1\n');
    await sleep(40);
    writeFileSync(join(dir, 'teams', 'b.yaml'), 'b: 1\n');
    await sleep(40);
    writeFileSync(join(dir, 'teams', 'a.yaml'), 'a: 2\n');
    await until('the run after the burst', () => runs.length === 2);
    await watcher.settled();
    await sleep(300);
    assert.equal(runs.length, 2, 'three saves within the debounce window make one run');
    assert.deepEqual([...runs[1]!].sort(), [join('teams', 'a.yaml'), join('teams', 'b.yaml')]);
  });

  it('queues at most one rerun for changes made while a run is in progress', async () => {
    let active = 0;
    let maxActive = 0;
    watcher = await startWatch({
      dir,
      debounceMs: 30,
      runAtStart: false,
      run: async (reasons) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runs.push(reasons);
        await sleep(400);
        active -= 1;
      },
    });
    writeFileSync(join(dir, 'teams', 'a.yaml'), 'a: 1\n');
    await until('the first run', () => runs.length === 1);
    for (const name of ['b', 'c', 'd']) {
      writeFileSync(join(dir, 'teams', `${name}.yaml`), `${name}: 1\n`);
      await sleep(80);
    }
    await watcher.settled();
    assert.equal(runs.length, 2, `expected the first run and one rerun, got ${JSON.stringify(runs)}`);
    assert.deepEqual(
      [...runs[1]!].sort(),
      ['b', 'c', 'd'].map((n) => join('teams', `${n}.yaml`)),
    );
    assert.equal(maxActive, 1);
  });

  it('ignores .git, node_modules and editor swap files', async () => {
    assert.equal(ignoredPath('/repo', '/repo/.git/index'), true);
    assert.equal(ignoredPath('/repo', '/repo/node_modules/x/a.yaml'), true);
    assert.equal(ignoredPath('/repo', '/repo/teams/.a.yaml.swp'), true);
    assert.equal(ignoredPath('/repo', '/repo/teams/a.yaml'), false);
    assert.equal(ignoredPath('/repo', '/repo'), false);
    watcher = await startWatch({
      dir,
      debounceMs: 30,
      runAtStart: false,
      run: async (reasons) => void runs.push(reasons),
    });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'index'), 'x');
    writeFileSync(join(dir, 'teams', '.a.yaml.swp'), 'x');
    await sleep(400);
    await watcher.settled();
    assert.deepEqual(runs, []);
  });
});

/**
 * The HTML access report in a real browser: headless Chromium opens the file:// page that `roster report --html`
 * wrote, the filters are driven like a person would, and a screenshot is taken. The browser arrives with `npm ci`:
 * @sparticuz/chromium ships a Chromium build inside the package and unpacks it to the temp folder on first use
 * (no apt package). ROSTER_TEST_CHROMIUM points at another Chromium instead. The test never skips.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Chromium from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { examplesDir } from '../support/paths.js';

const ARGS = [
  '--headless',
  // Tests (and CI containers) often run as root, where Chromium's sandbox cannot start.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const quiet: Io = { out: () => {}, err: () => {}, color: false };

interface OnScreen {
  rows: string[];
  clusters: string[];
  roles: string[];
}

/** What is on screen: visible rows (data-holder), visible column headers, visible roles. Runs in the page. */
const ON_SCREEN = `(() => {
  const shown = (el) => el.offsetParent !== null;
  const rows = [...document.querySelectorAll('#matrix tbody tr')].filter(shown);
  return {
    rows: rows.map((tr) => tr.getAttribute('data-holder')),
    clusters: [...document.querySelectorAll('#matrix thead tr:nth-child(2) th[data-cluster]')]
      .filter(shown)
      .map((th) => th.getAttribute('data-cluster')),
    roles: [
      ...new Set(
        rows.flatMap((tr) => [...tr.querySelectorAll('.role')].filter(shown).map((s) => s.getAttribute('data-role'))),
      ),
    ].sort(),
  };
})()`;

function visible(page: Page): Promise<OnScreen> {
  return page.evaluate<OnScreen>(ON_SCREEN);
}

describe('roster report --html in headless Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  const out = process.env.ROSTER_TEST_OUTPUT ?? mkdtempSync(join(tmpdir(), 'roster-report-'));
  const file = join(out, 'access-report.html');

  before(async function () {
    const executablePath = process.env.ROSTER_TEST_CHROMIUM ?? (await Chromium.executablePath());
    assert.ok(
      existsSync(executablePath),
      `${executablePath} not found: npm ci installs @sparticuz/chromium, or set ROSTER_TEST_CHROMIUM to a Chromium`,
    );
    // Pinned clock: the example's tokens and time-bound grants must be active whatever day the test runs.
    const saved = process.env.ROSTER_NOW;
    process.env.ROSTER_NOW = '2026-12-01T00:00:00Z';
    const code = await run(
      ['report', '--html', file, '--repo', join(examplesDir, 'acme'), '--worktree'],
      quiet,
    ).finally(() => {
      if (saved === undefined) delete process.env.ROSTER_NOW;
      else process.env.ROSTER_NOW = saved;
    });
    assert.equal(code, 0, 'roster report --html failed');
    browser = await chromium.launch({ executablePath, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1600, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(pathToFileURL(file).href);
    assert.deepEqual(errors, [], 'the page threw');
  });

  after(async () => browser?.close());

  it('renders every team and token of the example, on every cluster', async () => {
    const all = await visible(page);
    assert.deepEqual(all.rows, [
      'team:checkout',
      'team:data',
      'team:payments',
      'team:platform',
      'team:security',
      'token:ci-deployer',
      'token:metrics-exporter',
    ]);
    assert.deepEqual([...new Set(all.clusters)], ['prod-eu', 'prod-us', 'staging-eu']);
    assert.match(readFileSync(file, 'utf8'), /id="commit"/);
  });

  it("shows only one cluster's columns, and the rows with access there, once that cluster is selected", async () => {
    await page.selectOption('#filter-cluster', 'prod-us');
    const view = await visible(page);
    assert.deepEqual([...new Set(view.clusters)], ['prod-us']);
    assert.ok(!view.rows.includes('team:data'), 'team data has no grant on prod-us but is shown');
    assert.ok(view.rows.includes('token:ci-deployer'));
  });

  it('narrows to a team and the tokens it owns', async () => {
    await page.selectOption('#filter-team', 'payments');
    assert.deepEqual((await visible(page)).rows, ['team:payments', 'token:ci-deployer']);
  });

  it('narrows to one role everywhere', async () => {
    await page.selectOption('#filter-cluster', '');
    await page.selectOption('#filter-team', '');
    await page.selectOption('#filter-role', 'deployer');
    const view = await visible(page);
    assert.deepEqual(view.roles, ['deployer']);
    assert.deepEqual(view.rows, ['team:checkout', 'token:ci-deployer']);
  });

  it('produces a screenshot', async () => {
    await page.selectOption('#filter-role', '');
    const png = join(out, 'access-report.png');
    await page.screenshot({ path: png, fullPage: true });
    const bytes = readFileSync(png);
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(statSync(png).size > 10_000, `screenshot ${png} is only ${statSync(png).size} bytes`);
  });
});

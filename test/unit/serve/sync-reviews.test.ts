/**
 * What one serve run puts on the `roster_reviews` gauge: the counts of the config it just validated, and no series
 * at all once a new commit turns reviews off (the real control plane: test/integration/serve-reviews.test.ts).
 */
import assert from 'node:assert/strict';
import type { LoadedConfig } from '../../../src/config/read.js';
import { createLogger } from '../../../src/log.js';
import { DEFAULT_SETTINGS, type Model, type ReviewPolicy } from '../../../src/model/types.js';
import { ServeMetrics } from '../../../src/serve/metrics.js';
import { syncOnce, type SyncDeps } from '../../../src/serve/sync.js';
import { cluster, team } from '../../support/models.js';
import { series } from '../../support/scrape.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const SUSPEND: ReviewPolicy = { everySeconds: 90 * 86_400, privilegedSeconds: 90 * 86_400, onOverdue: 'suspend' };

function model(review: ReviewPolicy | undefined): Model {
  return {
    settings: { ...DEFAULT_SETTINGS, ...(review ? { review } : {}) },
    clusters: [cluster('east', {})],
    roles: [],
    // Never reviewed: overdue.
    teams: [team('payments', { users: ['alice@example.com'] }, [{ role: 'viewer', namespaces: ['payments'] }])],
    tokens: [],
  };
}

function deps(metrics: ServeMetrics, current: () => Model): SyncDeps {
  return {
    load: async (): Promise<LoadedConfig> => ({
      model: current(),
      snapshot: { label: 'repo@HEAD', files: [], commit: 'c0ffee', warnings: [] },
      warnings: [],
    }),
    select: (m) => [...m.clusters],
    reconcile: async (req) => ({ mode: req.mode, dryRun: false, clusters: [] }),
    metrics,
    log: createLogger({ level: 'silent' }),
    now: () => NOW,
    detectOnly: false,
    isLeader: () => true,
    signal: () => new AbortController().signal,
  };
}

describe('serve run: access reviews on /metrics', () => {
  it('counts a never-reviewed team as overdue and suspended; no series once reviews are off', async () => {
    const metrics = new ServeMetrics({ processMetrics: false });
    let current = model(SUSPEND);
    const d = deps(metrics, () => current);
    const state = await syncOnce(d, { loaded: false, boundaries: [] }, ['start']);
    let reviews = series((await metrics.scrape()).body, 'roster_reviews');
    assert.equal(reviews['roster_reviews{kind="team",state="overdue",suspended="true"}'], 1);
    assert.equal(reviews['roster_reviews{kind="team",state="ok",suspended="false"}'], 0);

    current = model(undefined);
    await syncOnce(d, state, ['interval']);
    reviews = series((await metrics.scrape()).body, 'roster_reviews');
    assert.deepEqual(reviews, {}, 'no review counts from a config that asks for no reviews');
  });
});

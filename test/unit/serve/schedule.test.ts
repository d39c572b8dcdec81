import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, type Model } from '../../../src/model/types.js';
import { BOUNDARY_SLACK_MS, accessBoundaries, nextRun, parseInterval } from '../../../src/serve/schedule.js';
import { cluster, team, token } from '../../support/models.js';

const NOW = new Date('2026-03-01T00:00:00Z');

function model(): Model {
  return {
    settings: { ...DEFAULT_SETTINGS },
    clusters: [cluster('east', {})],
    roles: [],
    teams: [
      team('payments', { users: ['alice@example.com'] }, [
        { role: 'editor', namespaces: ['payments'], expires: '2026-03-01T00:05:00Z' },
        { role: 'viewer', namespaces: ['payments'], notBefore: '2026-03-01T00:02:00Z' },
        { role: 'owner', namespaces: ['old'], expires: '2026-02-01T00:00:00Z' },
      ]),
    ],
    tokens: [
      token('ci', 'payments', '2026-04-01T00:00:00Z', [
        { role: 'deployer', namespaces: ['payments'], expires: '2026-03-01T00:05:00Z' },
      ]),
    ],
  };
}

describe('serve schedule: expiries take effect on time', () => {
  it('lists future grant starts, grant ends and token ends once each, in time order', () => {
    const times = accessBoundaries(model(), NOW).map((d) => d.toISOString());
    assert.deepEqual(times, ['2026-03-01T00:02:00.000Z', '2026-03-01T00:05:00.000Z', '2026-04-01T00:00:00.000Z']);
  });

  it('runs at a grant start that comes before the next interval, just after it', () => {
    const next = nextRun({ now: NOW, intervalMs: 5 * 60_000, boundaries: accessBoundaries(model(), NOW) });
    assert.equal(next.reason, 'expiry');
    assert.equal(next.boundary, '2026-03-01T00:02:00Z');
    assert.equal(next.delayMs, 2 * 60_000 + BOUNDARY_SLACK_MS);
  });

  it('runs on the interval when no boundary comes sooner', () => {
    const next = nextRun({ now: NOW, intervalMs: 60_000, boundaries: accessBoundaries(model(), NOW) });
    assert.deepEqual(next, { delayMs: 60_000, reason: 'interval' });
  });

  it('ignores boundaries already passed', () => {
    const later = new Date('2026-03-01T00:03:00Z');
    const next = nextRun({ now: later, intervalMs: 10 * 60_000, boundaries: accessBoundaries(model(), NOW) });
    assert.equal(next.boundary, '2026-03-01T00:05:00Z');
  });
});

describe('serve --interval', () => {
  it('reads Go-style durations and plain seconds', () => {
    assert.equal(parseInterval('1m'), 60_000);
    assert.equal(parseInterval('30s'), 30_000);
    assert.equal(parseInterval('1h30m'), 5_400_000);
    assert.equal(parseInterval('90'), 90_000);
    assert.equal(parseInterval('1500ms'), 1_500);
  });

  it('refuses nonsense and intervals under a second with a usage error', () => {
    assert.throws(() => parseInterval('soon'), {
      code: 'UsageError',
      message: /--interval soon: use a duration like 30s/,
    });
    assert.throws(() => parseInterval('1m fast'), { code: 'UsageError' });
    assert.throws(() => parseInterval('10ms'), { code: 'UsageError', message: /at least 1s/ });
  });
});

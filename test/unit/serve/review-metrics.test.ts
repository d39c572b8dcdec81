import assert from 'node:assert/strict';
import { ServeMetrics } from '../../../src/serve/metrics.js';

describe('serve metrics: access reviews', () => {
  it('exposes overdue, due-soon and suspended counts per kind, replaced on every run', async () => {
    const metrics = new ServeMetrics({ processMetrics: false });
    metrics.recordReviews([
      { kind: 'team', state: 'overdue', suspended: true },
      { kind: 'team', state: 'overdue', suspended: false },
      { kind: 'team', state: 'ok', suspended: false },
      { kind: 'token', state: 'due-soon', suspended: false },
    ]);
    let body = (await metrics.scrape()).body;
    assert.match(body, /^roster_reviews\{kind="team",state="overdue",suspended="true"\} 1$/m);
    assert.match(body, /^roster_reviews\{kind="team",state="overdue",suspended="false"\} 1$/m);
    assert.match(body, /^roster_reviews\{kind="token",state="due-soon",suspended="false"\} 1$/m);
    metrics.recordReviews([{ kind: 'team', state: 'ok', suspended: false }]);
    body = (await metrics.scrape()).body;
    assert.match(body, /^roster_reviews\{kind="team",state="overdue",suspended="true"\} 0$/m);
  });
});

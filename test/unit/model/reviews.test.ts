import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { renderHtml } from '../../../src/report/html.js';
import { renderReviewsJson, renderReviewsText } from '../../../src/report/reviews.js';
import { runJson } from '../../../src/report/changes-json.js';
import { render } from '../../../src/cli/reconcile-command.js';
import { assertGolden } from '../../support/golden.js';
import { buildMatrix } from '../../../src/report/matrix.js';
import { reviewStatuses } from '../../../src/model/reviews.js';
import type { Model, Review } from '../../../src/model/types.js';
import { validateRepo } from '../../../src/validate/index.js';
import { acmeModel, offlineFacts } from '../../support/models.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400;
const src = { file: 'teams/x.yaml', doc: 0, line: 1, col: 1 };

function withReviews(onOverdue: 'warn' | 'suspend'): Model {
  const acme = acmeModel();
  const reviewed: Record<string, Review> = {
    payments: { at: new Date('2026-05-01T00:00:00Z'), by: 'Ada <ada@example.com>', source: src },
    data: { at: new Date('2026-01-01T00:00:00Z'), by: 'Ada <ada@example.com>', source: src },
    // platform holds owner (privileged): 30 days, so 40 days ago is overdue although 90 would not be.
    platform: { at: new Date('2026-04-22T00:00:00Z'), by: 'Ben <ben@example.com>', source: src },
  };
  return {
    ...acme,
    settings: { ...acme.settings, review: { everySeconds: 90 * DAY, privilegedSeconds: 30 * DAY, onOverdue } },
    teams: acme.teams.map((t) => (reviewed[t.name] ? { ...t, reviewed: reviewed[t.name] } : t)),
  };
}

describe('access reviews: due dates and suspension', () => {
  it('gives each team and token its state: ok, due soon, overdue, never reviewed; privileged roles sooner', () => {
    const byName = Object.fromEntries(
      reviewStatuses(withReviews('warn'), NOW, 14).map((s) => [`${s.kind} ${s.name}`, s]),
    );
    assert.equal(byName['team payments']?.state, 'ok');
    assert.equal(byName['team data']?.state, 'overdue');
    assert.equal(byName['team data']?.due?.toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(byName['team platform']?.privileged, true);
    assert.equal(byName['team platform']?.state, 'overdue');
    assert.equal(byName['team search']?.state, 'overdue', 'never reviewed');
    assert.equal(byName['team search']?.due, undefined);
    assert.equal(byName['token ci-deployer']?.owner, 'payments');
    assert.ok(
      Object.values(byName).every((s) => !s.suspended),
      'warn never suspends',
    );
  });

  it('says due soon within the window', () => {
    const [payments] = reviewStatuses(withReviews('warn'), new Date('2026-07-25T00:00:00Z'), 14).filter(
      (s) => s.name === 'payments',
    );
    assert.equal(payments?.state, 'due-soon');
  });

  it("with onOverdue: suspend, compiles none of an overdue team's grants and says why", () => {
    const model = withReviews('suspend');
    const result = compile(model, offlineFacts(model), NOW);
    const all = result.clusters.flatMap((c) => c.access);
    assert.ok(!all.some((e) => e.holder.name === 'data'), 'data is overdue: no access');
    assert.ok(
      all.some((e) => e.holder.name === 'payments'),
      'payments was reviewed: access stays',
    );
    const skipped = result.clusters.flatMap((c) => c.skipped).filter((s) => s.holder.name === 'data');
    assert.ok(skipped.length > 0 && skipped.every((s) => s.reason === 'review-overdue'));
    assert.match(
      skipped[0]!.detail,
      /team data: review overdue since 2026-04-01T00:00:00Z .*roster review attest data/,
    );
  });

  it('with onOverdue: warn, compiles everything as before', () => {
    const plain = acmeModel();
    const warned = withReviews('warn');
    assert.deepEqual(
      compile(warned, offlineFacts(warned), NOW).clusters.map((c) => c.objects.length),
      compile(plain, offlineFacts(plain), NOW).clusters.map((c) => c.objects.length),
    );
  });

  it('validate warns on the overdue document, at spec.reviewed.at', () => {
    const files = [
      {
        path: 'roster.yaml',
        text:
          'apiVersion: roster/v1\nkind: Settings\nmetadata: {name: s}\nspec:\n' +
          '  review: {every: 90d, onOverdue: suspend}\n',
      },
      {
        path: 'teams/a.yaml',
        text:
          'apiVersion: roster/v1\nkind: Team\nmetadata: {name: a}\nspec:\n  members: {users: [a@example.com]}\n' +
          '  reviewed:\n    at: 2026-01-01T00:00:00Z\n    by: Ada <ada@example.com>\n',
      },
    ];
    const { diagnostics, model } = validateRepo(files, { now: NOW });
    assert.ok(model, 'overdue is a warning, not an error');
    const d = diagnostics.find((x) => x.code === 'review-overdue');
    assert.equal(d?.file, 'teams/a.yaml');
    assert.equal(d?.line, 7);
    assert.match(d.message, /overdue since 2026-04-01T00:00:00Z .*its grants are suspended/);
    assert.match(d.hint!, /roster review attest a/);
  });

  it('rejects a review without a reviewer', () => {
    const { diagnostics } = validateRepo(
      [
        {
          path: 'teams/a.yaml',
          text:
            'apiVersion: roster/v1\nkind: Team\nmetadata: {name: a}\nspec:\n' +
            '  reviewed: {at: 2026-01-01T00:00:00Z}\n',
        },
      ],
      { now: NOW },
    );
    assert.ok(diagnostics.some((d) => d.severity === 'error' && d.file === 'teams/a.yaml' && /by/.test(d.message)));
  });

  it("shows each row's review state in the HTML report", () => {
    const model = withReviews('suspend');
    const result = compile(model, offlineFacts(model), NOW);
    const matrix = buildMatrix({ model, result, source: { label: 'acme' }, now: NOW });
    const row = (name: string) => matrix.rows.find((r) => r.holder.name === name)?.review;
    assert.deepEqual(row('payments'), {
      state: 'ok',
      suspended: false,
      due: '2026-07-30T00:00:00Z',
      lastReviewed: '2026-05-01T00:00:00Z',
      reviewer: 'Ada <ada@example.com>',
    });
    assert.equal(row('data')?.suspended, true);
    const html = renderHtml(matrix);
    assert.match(
      html,
      new RegExp(
        String.raw`team<\/span> data <span class="review overdue" data-review="overdue" title="last reviewed ` +
          String.raw`2026-01-01T00:00:00Z by Ada &#60;ada@example.com&#62;; due 2026-04-01T00:00:00Z">review ` +
          String.raw`overdue: suspended<\/span>`,
      ),
    );
  });

  it('renders roster review per owner, as text and JSON', () => {
    const model = withReviews('suspend');
    const statuses = reviewStatuses(model, NOW, 14);
    assertGolden('reviews/review.txt', renderReviewsText(statuses, model.settings.review!, NOW));
    assertGolden('reviews/review.json', renderReviewsJson(statuses, model.settings.review!, NOW));
  });

  it('plan and apply -o json list the pending reviews the text prints, as roster review -o json does', () => {
    const model = withReviews('suspend');
    const pending = reviewStatuses(model, NOW, 14).filter((s) => s.state !== 'ok');
    const json = runJson({ mode: 'plan', dryRun: false, clusters: [] }, { reviews: pending });
    const review = JSON.parse(renderReviewsJson(pending, model.settings.review!, NOW)) as { reviews: unknown[] };
    assert.deepEqual(json.reviews, review.reviews);
    assert.ok(
      json.reviews?.some((r) => r.name === 'data' && r.state === 'overdue' && r.suspended),
      JSON.stringify(json.reviews),
    );
    assert.equal(runJson({ mode: 'plan', dryRun: false, clusters: [] }).reviews, undefined, 'no policy, no key');
  });

  it('plan -o markdown has an Access reviews section with the holders -o json lists, suspended ones marked', () => {
    const model = withReviews('suspend');
    const pending = reviewStatuses(model, NOW, 14).filter((s) => s.state !== 'ok');
    const result = { mode: 'plan' as const, dryRun: false, clusters: [] };
    const md = render(result, 'markdown', false, { reviews: pending, reviewPolicy: model.settings.review!, now: NOW });
    const section = md.slice(md.indexOf('#### Access reviews'));
    assertGolden('reviews/plan.md', section);
    const rows = section.split('\n').filter((l) => /^\| `[✗!]`/.test(l));
    const json = runJson(result, { reviews: pending });
    const sorted = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : 1));
    assert.deepEqual(
      sorted(rows.map((r) => /\| (team|token) `([^`]+)`/.exec(r)!.slice(1, 3).join(' '))),
      sorted(json.reviews!.map((r) => `${r.kind} ${r.name}`)),
      'the same holders as -o json',
    );
    assert.match(section, /\| `✗` \| team `data` \| `data` \| overdue \| .* \| \*\*suspended until reviewed\*\* \|/);
    const none = render(result, 'markdown', false, { reviews: [], reviewPolicy: model.settings.review!, now: NOW });
    assert.match(none, /#### Access reviews \(0 pending\)[^]*_nothing is due_/);
    assert.doesNotMatch(render(result, 'markdown', false, {}), /Access reviews/, 'no policy, no section');
  });
});

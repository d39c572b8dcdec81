import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { escapeHtml, renderHtml } from '../../../src/report/html.js';
import { buildMatrix, type AccessMatrix } from '../../../src/report/matrix.js';
import type { Delegation } from '../../../src/model/types.js';
import { NOW, acmeModel, offlineFacts, withTeam } from '../../support/models.js';

const HOSTILE = '</script><img src=x onerror="alert(1)">&';

function matrix(opts: { commit?: string; label?: string } = {}): AccessMatrix {
  const acme = acmeModel();
  const model = withTeam(acme, acme.teams[0]!.name, (t) => ({ ...t, description: HOSTILE }));
  const result = compile(model, offlineFacts(model), NOW);
  const source = { label: opts.label ?? 'examples/acme', ...(opts.commit ? { commit: opts.commit } : {}) };
  return buildMatrix({ model, result, source, now: NOW });
}

function cellOf(m: AccessMatrix, holder: string, cluster: string, namespace: string | undefined): string[] {
  const row = m.rows.findIndex((r) => `${r.holder.kind}:${r.holder.name}` === holder);
  const col = m.columns.findIndex((c) => c.cluster === cluster && c.namespace === namespace);
  return (m.cells[row]?.[col] ?? []).map((c) => c.role);
}

describe('report: the access matrix', () => {
  it('has one row per team and token, teams first', () => {
    assert.deepEqual(
      matrix().rows.map((r) => `${r.holder.kind}:${r.holder.name}`),
      ['team:data', 'team:payments', 'team:platform', 'team:search', 'token:ci-deployer', 'token:old-ci'],
    );
  });

  it('puts the roles each holder has in each cluster and namespace, patterns as patterns', () => {
    const m = matrix();
    assert.deepEqual(cellOf(m, 'team:payments', 'prod-eu', 'payments'), ['editor']);
    assert.deepEqual(cellOf(m, 'team:payments', 'prod-eu', 'payments-*'), ['editor']);
    assert.deepEqual(cellOf(m, 'team:platform', 'prod-us', undefined), ['cluster-viewer', 'node-reader']);
    assert.equal(m.columns.find((c) => c.namespace === 'payments-*')?.pattern, true);
  });

  it('files a token under its owner for the team filter', () => {
    assert.equal(matrix().rows.find((r) => r.holder.name === 'ci-deployer')?.team, 'payments');
  });

  it('keeps expired grants and tokens out of the cells', () => {
    const m = matrix();
    assert.deepEqual(cellOf(m, 'token:old-ci', 'prod-eu', 'search'), []);
    assert.deepEqual(cellOf(m, 'team:search', 'prod-eu', 'search'), ['release-manager']);
  });
});

describe('report: the HTML page', () => {
  it('marks the teams and tokens declared in a delegated path with their delegation', () => {
    const acme = acmeModel();
    const payments = acme.teams.find((t) => t.name === 'payments')!;
    const delegations: Delegation[] = [
      {
        name: 'payments-<b>',
        paths: [payments.source.file],
        owners: { users: ['alice'], groups: [] },
        namespaces: ['payments'],
        clusters: { all: true },
        ceiling: ['editor'],
        source: { file: 'delegations.yaml', doc: 0, line: 1, col: 1 },
      },
    ];
    const model = { ...acme, delegations };
    const m = buildMatrix({
      model,
      result: compile(model, offlineFacts(model), NOW),
      source: { label: 'x' },
      now: NOW,
    });
    assert.deepEqual(
      m.rows.filter((r) => r.delegation).map((r) => `${r.holder.name}: ${r.delegation}`),
      ['payments: payments-<b>'],
    );
    const html = renderHtml(m);
    assert.ok(
      html.includes(
        `<span class="delegation" title="declared in a path of Delegation payments-&#60;b&#62;">delegation ` +
          `payments-&#60;b&#62;</span>`,
      ),
    );
  });

  it('escapes every value from the config', () => {
    const html = renderHtml(matrix({ label: `repo<b>"x"` }));
    assert.ok(!html.includes('<img'), 'a description reached the page unescaped');
    assert.ok(!html.includes('<b>'), 'the source label reached the page unescaped');
    assert.ok(html.includes(escapeHtml(HOSTILE)));
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('is self-contained: no external URL, and a policy that forbids loading any', () => {
    const html = renderHtml(matrix());
    assert.doesNotMatch(html, /\b(?:https?:)?\/\/[a-z0-9]/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none';/);
  });

  it('shows the commit it was built from, or says there is none', () => {
    assert.match(
      renderHtml(matrix({ commit: '0123456789abcdef' })),
      /commit <code id="commit">0123456789abcdef<\/code>/,
    );
    assert.match(renderHtml(matrix()), /not from a Git commit/);
  });

  it('renders the same bytes every time', () => {
    assert.equal(renderHtml(matrix({ commit: 'abc' })), renderHtml(matrix({ commit: 'abc' })));
  });
});

describe('report: suspensions on the page', () => {
  it('lists who is suspended before the table, escaped, and nothing when nobody is', () => {
    const acme = acmeModel();
    const subjects = { users: ['alice@example.com'], groups: [], serviceAccounts: [], tokens: [] };
    const source = { file: 's.yaml', doc: 0, line: 1, col: 1 };
    const model = { ...acme, suspensions: [{ name: 'leave', reason: HOSTILE, subjects, source }] };
    const result = compile(model, offlineFacts(model), NOW);
    const html = renderHtml(buildMatrix({ model, result, source: { label: 'examples/acme' }, now: NOW }));
    const section = /<section id="suspensions">(.*?)<\/section>/s.exec(html)?.[1] ?? '';
    assert.match(section, /User alice@example\.com: suspended by Suspension leave: /);
    assert.ok(section.includes(escapeHtml(HOSTILE)) && !section.includes(HOSTILE));
    assert.ok(html.indexOf('id="suspensions"') < html.indexOf('<table'));
    assert.ok(!renderHtml(matrix()).includes('id="suspensions"'));
  });
});

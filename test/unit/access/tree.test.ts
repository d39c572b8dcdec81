import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { accessTree } from '../../../src/report/access-tree.js';
import { renderTree } from '../../../src/report/tree.js';
import { acmeModel, NOW } from '../../support/models.js';

describe('access tree (plan --offline)', () => {
  const offline = compile(acmeModel(), [{ name: 'staging-eu' }], NOW).clusters;

  it('groups access as cluster → scope → subject → role, cluster-wide first, patterns shown as written', () => {
    const [cluster] = accessTree(offline);
    assert.equal(cluster?.label, '[Cluster] staging-eu');
    const scopes = cluster.children!.map((n) => n.label);
    assert.equal(scopes[0], '[Scope] (cluster-wide)');
    assert.ok(scopes.includes('[Namespace] * (pattern: expands against live namespaces)'), scopes.join('\n'));
    assert.ok(scopes.includes('[Namespace] payments'));
  });

  it('names the team behind each role and when it ends', () => {
    const payments = accessTree(offline)[0]!.children!.find((n) => n.label === '[Namespace] payments')!;
    const alice = payments.children!.find((n) => n.label === '[User] alice@example.com')!;
    assert.deepEqual(
      alice.children!.map((n) => n.label),
      ['[Role] editor (team payments, until 2026-09-01T00:00:00Z)', '[Role] viewer (team payments)'],
    );
  });

  it('renders with box-drawing characters, one line per node', () => {
    const text = renderTree([{ label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }, { label: 'd' }] }]);
    assert.equal(text, 'a\n├── b\n│   └── c\n└── d\n');
  });
});

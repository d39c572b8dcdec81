import assert from 'node:assert/strict';
import { desiredSnapshot } from '../../../src/access/desired.js';
import { renderAccessBySubject } from '../../../src/access/render.js';
import { clusterAccess } from '../../../src/access/tree.js';
import { compile } from '../../../src/compile/index.js';
import { acmeModel, NOW } from '../../support/models.js';

describe('access tree: everyone on a cluster (plan --offline)', () => {
  const result = compile(acmeModel(), [{ name: 'staging-eu' }], NOW);
  const clusters = result.clusters.map((s) => clusterAccess(desiredSnapshot(s, result.roleRules), { all: true }));
  const text = renderAccessBySubject(clusters, Object.keys(result.roleRules));

  it('keeps every scope, cluster-wide first, then namespaces and unexpanded patterns by name', () => {
    assert.deepEqual(
      clusters[0]!.scopes.map((s) => `${s.namespace ?? '(cluster-wide)'}${s.pattern ? ' (pattern)' : ''}`),
      ['(cluster-wide)', '* (pattern)', 'analytics', 'payments', 'search'],
    );
  });

  it('groups access as cluster → scope → subject → role, patterns shown as written', () => {
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      '[Cluster] staging-eu',
      '├── [Scope] (cluster-wide)',
      '│   └── [Group] platform',
      '│       └── [Role] cluster-viewer (team platform)',
    ]);
    assert.ok(lines.includes('├── [Namespace] * (pattern: expands against live namespaces)'), text);
  });

  it('names each role as Git does, with the team behind it and when it ends', () => {
    const alice = text.slice(text.indexOf('[User] alice@example.com')).split('\n');
    assert.deepEqual(
      alice.slice(1, 3).map((l) => l.replace(/^[│ ]*[├└]── /, '')),
      ['[Role] editor (team payments, until 2026-09-01T00:00:00Z)', '[Role] viewer (team payments)'],
    );
  });

  it('lists the subjects of a scope in code-unit order (groups, service accounts, users)', () => {
    const payments = text.slice(text.indexOf('[Namespace] payments'), text.indexOf('[Namespace] search'));
    const subjects = [...payments.matchAll(/── (\[(?:Group|ServiceAccount|User)\] \S+)/g)].map((m) => m[1]);
    assert.deepEqual(subjects, [
      '[Group] payments-eng',
      '[ServiceAccount] ci/deployer',
      '[User] alice@example.com',
      '[User] bob@example.com',
    ]);
  });
});

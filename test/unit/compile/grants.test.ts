import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import type { ClusterFacts, DesiredState } from '../../../src/compile/types.js';
import { formatKey, keyOf } from '../../../src/resources/key.js';
import type { Model } from '../../../src/model/types.js';
import type { ManagedObject, RoleBindingObject } from '../../../src/resources/types.js';
import { NOW, acmeFacts, acmeModel, cluster, team, token, type GrantSpec } from '../../support/models.js';

/** A model with one cluster `c1` (namespaces a, b, app-1, app-2, kube-system) and the given teams / tokens. */
function small(parts: Partial<Pick<Model, 'teams' | 'tokens' | 'clusters'>>): Model {
  const model = acmeModel();
  return {
    ...model,
    roles: model.roles,
    clusters: parts.clusters ?? [cluster('c1', { env: 'prod' }, 'sso:')],
    teams: parts.teams ?? [],
    tokens: parts.tokens ?? [],
  };
}

const ONLINE: ClusterFacts[] = [{ name: 'c1', namespaces: ['a', 'b', 'app-1', 'app-2', 'kube-system'] }];

function oneTeam(grants: GrantSpec[], facts: ClusterFacts[] = ONLINE, now = NOW): DesiredState {
  const result = compile(small({ teams: [team('t', { users: ['u'] }, grants)] }), facts, now);
  return result.clusters[0]!;
}

const keys = (objects: ManagedObject[]) => objects.map((o) => formatKey(keyOf(o)));
const bindings = (state: DesiredState) => state.objects.filter((o): o is RoleBindingObject => o.kind === 'RoleBinding');

describe('compile: time windows', () => {
  const window = {
    role: 'viewer',
    namespaces: ['a'],
    notBefore: '2026-02-01T00:00:00Z',
    expires: '2026-04-01T00:00:00Z',
  };

  it('compiles nothing before notBefore and records not-yet-valid', () => {
    const state = oneTeam([window], ONLINE, new Date('2026-01-31T23:59:59Z'));
    assert.deepEqual(state.objects, []);
    assert.deepEqual(
      state.skipped.map((s) => s.reason),
      ['not-yet-valid'],
    );
  });

  it('compiles the binding inside the window (notBefore inclusive)', () => {
    const state = oneTeam([window], ONLINE, new Date('2026-02-01T00:00:00Z'));
    assert.deepEqual(keys(state.objects), ['ClusterRole/roster:viewer', 'RoleBinding/a/roster:team:t:viewer']);
    assert.equal(state.access[0]?.expires, '2026-04-01T00:00:00Z');
  });

  it('compiles nothing from expires on (exclusive) and records expired', () => {
    const state = oneTeam([window], ONLINE, new Date('2026-04-01T00:00:00Z'));
    assert.deepEqual(state.objects, []);
    assert.deepEqual(
      state.skipped.map((s) => [s.reason, s.detail]),
      [['expired', 'expired at 2026-04-01T00:00:00Z']],
    );
  });

  it('lists future expiries by date and forgets past ones', () => {
    const result = compile(acmeModel(), acmeFacts(), NOW);
    assert.deepEqual(
      result.expiries.map((e) => [e.holder.name, e.role ?? '(token)', e.expires.slice(0, 10)]),
      [
        ['payments', 'editor', '2026-09-01'],
        ['ci-deployer', '(token)', '2027-03-01'],
      ],
    );
  });
});

describe('compile: namespaces', () => {
  it('expands patterns against the cluster namespaces, sorted', () => {
    const state = oneTeam([{ role: 'viewer', namespaces: ['app-*'] }]);
    assert.deepEqual(
      bindings(state).map((b) => b.metadata.namespace),
      ['app-1', 'app-2'],
    );
  });

  it('never expands a pattern into a protected namespace or the token namespace', () => {
    const facts = [{ name: 'c1', namespaces: ['a', 'kube-system', 'kube-public', 'roster-tokens'] }];
    const state = oneTeam([{ role: 'viewer', namespaces: ['*'] }], facts);
    assert.deepEqual(
      bindings(state).map((b) => b.metadata.namespace),
      ['a'],
    );
  });

  it('skips a literal protected namespace', () => {
    const state = oneTeam([{ role: 'viewer', namespaces: ['kube-system', 'a'] }]);
    assert.deepEqual(
      bindings(state).map((b) => b.metadata.namespace),
      ['a'],
    );
    assert.deepEqual(
      state.skipped.map((s) => [s.reason, s.namespace]),
      [['protected-namespace', 'kube-system']],
    );
  });

  it('skips a literal namespace missing from the cluster instead of emitting a binding that cannot be created', () => {
    const state = oneTeam([{ role: 'viewer', namespaces: ['a', 'gone'] }]);
    assert.deepEqual(
      bindings(state).map((b) => b.metadata.namespace),
      ['a'],
    );
    assert.deepEqual(
      state.skipped.map((s) => [s.reason, s.namespace, s.detail]),
      [['namespace-missing', 'gone', 'namespace "gone" does not exist on cluster c1']],
    );
  });

  it('binds literals offline and shows patterns unexpanded without emitting them', () => {
    const state = oneTeam([{ role: 'viewer', namespaces: ['gone', 'app-*'] }], [{ name: 'c1' }]);
    assert.deepEqual(
      bindings(state).map((b) => b.metadata.namespace),
      ['gone'],
    );
    assert.deepEqual(
      state.access.map((a) => [a.namespace, a.pattern]),
      [
        [undefined, 'app-*'],
        ['gone', undefined],
      ],
    );
    assert.deepEqual(
      state.skipped.map((s) => [s.reason, s.namespace]),
      [['pattern-unexpanded', 'app-*']],
    );
  });

  it('counts the token namespace as existing', () => {
    const state = oneTeam([{ role: 'viewer', namespaces: ['roster-tokens'] }]);
    assert.deepEqual(
      bindings(state).map((b) => b.metadata.namespace),
      ['roster-tokens'],
    );
  });
});

describe('compile: subjects and bindings', () => {
  it('applies the cluster prefixes to users and groups, not to service accounts', () => {
    const model = small({
      teams: [
        team('t', { users: ['u@x'], groups: ['g'], serviceAccounts: ['ci/bot'] }, [
          { role: 'viewer', namespaces: ['a'] },
        ]),
      ],
    });
    const [binding] = bindings(compile(model, ONLINE, NOW).clusters[0]!);
    assert.deepEqual(binding?.subjects, [
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sso:g' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'ci' },
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'sso:u@x' },
    ]);
  });

  it('merges duplicate grants of one role and namespace into one binding, keeping the longest expiry', () => {
    const state = oneTeam([
      { role: 'viewer', namespaces: ['a', 'b'], expires: '2026-05-01T00:00:00Z' },
      { role: 'viewer', namespaces: ['a', 'a'], expires: '2026-06-01T00:00:00Z' },
    ]);
    assert.deepEqual(keys(state.objects), [
      'ClusterRole/roster:viewer',
      'RoleBinding/a/roster:team:t:viewer',
      'RoleBinding/b/roster:team:t:viewer',
    ]);
    assert.deepEqual(
      state.access.map((a) => [a.namespace, a.expires?.slice(0, 10)]),
      [
        ['a', '2026-06-01'],
        ['b', '2026-05-01'],
      ],
    );
  });

  it('binds cluster-scoped roles with one ClusterRoleBinding, whatever namespaces say', () => {
    const state = oneTeam([{ role: 'cluster-viewer' }, { role: 'node-reader' }]);
    assert.deepEqual(keys(state.objects), [
      'ClusterRole/roster:cluster-viewer',
      'ClusterRole/roster:node-reader',
      'ClusterRoleBinding/roster:team:t:cluster-viewer',
      'ClusterRoleBinding/roster:team:t:node-reader',
    ]);
  });

  it('skips grants of a team without members', () => {
    const result = compile(small({ teams: [team('empty', {}, [{ role: 'viewer', namespaces: ['a'] }])] }), ONLINE, NOW);
    assert.deepEqual(result.clusters[0]!.objects, []);
    assert.deepEqual(
      result.clusters[0]!.skipped.map((s) => s.reason),
      ['no-members'],
    );
  });
});

describe('compile: cluster selectors', () => {
  const clusters = [
    cluster('eu-1', { env: 'prod', region: 'eu' }),
    cluster('us-1', { env: 'prod', region: 'us' }),
    cluster('dev', { env: 'dev' }),
  ];
  const facts = clusters.map((c) => ({ name: c.name }));
  const reached = (spec: GrantSpec) => {
    const result = compile(small({ clusters, teams: [team('t', { users: ['u'] }, [spec])] }), facts, NOW);
    return result.clusters.filter((s) => s.objects.length > 0).map((s) => s.cluster);
  };

  it('reaches every cluster when clusters are omitted', () =>
    assert.deepEqual(reached({ role: 'viewer', namespaces: ['a'] }), ['dev', 'eu-1', 'us-1']));
  it('reaches named clusters', () =>
    assert.deepEqual(reached({ role: 'viewer', namespaces: ['a'], clusters: { names: ['dev', 'us-1'] } }), [
      'dev',
      'us-1',
    ]));
  it('reaches clusters whose labels all match', () => {
    assert.deepEqual(
      reached({ role: 'viewer', namespaces: ['a'], clusters: { matchLabels: { env: 'prod', region: 'eu' } } }),
      ['eu-1'],
    );
  });
});

describe('compile: tokens', () => {
  const ci = token('ci', 'payments', '2026-12-01T00:00:00Z', [
    { role: 'deployer', namespaces: ['a'] },
    { role: 'node-reader' },
  ]);

  it('creates the token namespace, the ServiceAccount and its bindings', () => {
    const state = compile(small({ tokens: [ci] }), ONLINE, NOW).clusters[0]!;
    assert.deepEqual(keys(state.objects), [
      'Namespace/roster-tokens',
      'ClusterRole/roster:deployer',
      'ClusterRole/roster:node-reader',
      'ServiceAccount/roster-tokens/ci',
      'ClusterRoleBinding/roster:token:ci:node-reader',
      'RoleBinding/a/roster:token:ci:deployer',
    ]);
    const binding = bindings(state)[0]!;
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'ci', namespace: 'roster-tokens' }]);
    assert.equal(binding.metadata.labels?.['roster.dev/token'], 'ci');
  });

  it('compiles an expired token to nothing', () => {
    const state = compile(small({ tokens: [ci] }), ONLINE, new Date('2026-12-01T00:00:00Z')).clusters[0]!;
    assert.deepEqual(state.objects, []);
    assert.deepEqual(
      state.skipped.map((s) => s.reason),
      ['expired', 'expired'],
    );
  });

  it('caps a token grant at the token expiry', () => {
    const state = compile(small({ tokens: [ci] }), ONLINE, NOW).clusters[0]!;
    assert.ok(state.access.every((a) => a.expires === '2026-12-01T00:00:00Z'));
  });
});

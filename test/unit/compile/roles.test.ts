import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import { renderYaml } from '../../../src/compile/render.js';
import { resolveRoles } from '../../../src/compile/roles.js';
import { canonicalRules } from '../../../src/compile/rules.js';
import { BUILTIN_ROLES, BUILTIN_ROLE_NAMES } from '../../../src/model/builtins.js';
import type { ClusterRoleObject } from '../../../src/resources/types.js';
import { assertGolden } from '../../support/golden.js';
import { NOW, acmeModel, role } from '../../support/models.js';

describe('compile: roles', () => {
  it('defines every built-in role name with rules', () => {
    assert.deepEqual(Object.keys(BUILTIN_ROLES).sort(), [...BUILTIN_ROLE_NAMES].sort());
    for (const name of BUILTIN_ROLE_NAMES) assert.ok(BUILTIN_ROLES[name].rules.length > 0, name);
  });

  it('keeps secrets out of viewer and cluster-viewer', () => {
    for (const name of ['viewer', 'cluster-viewer'] as const) {
      const core = BUILTIN_ROLES[name].rules.filter((r) => r.apiGroups?.includes('') || r.apiGroups?.includes('*'));
      assert.ok(!core.some((r) => r.resources?.includes('secrets') || r.resources?.includes('*')), name);
    }
  });

  it('renders the built-in roles as ClusterRoles (golden)', () => {
    const model = { ...acmeModel(), roles: [] };
    const table = resolveRoles(model);
    const objects: ClusterRoleObject[] = BUILTIN_ROLE_NAMES.map((name) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `roster:${name}` },
      rules: table.get(name)!.rules,
    }));
    assertGolden('compile/builtin-roles.yaml', renderYaml(objects));
  });

  it('flattens extends recursively: ancestors rules plus own, merged per target', () => {
    const rules = compile(acmeModel(), [], NOW).roleRules['release-manager']!.rules;
    const apps = rules.find((r) => r.apiGroups?.[0] === 'apps' && r.resources?.includes('deployments'));
    assert.deepEqual(apps, {
      apiGroups: ['apps'],
      resources: ['deployments'],
      verbs: ['get', 'list', 'patch', 'update', 'watch'],
    });
    assert.ok(
      rules.some((r) => r.apiGroups?.[0] === 'batch' && r.verbs.includes('create')),
      'own batch/jobs create rule',
    );
    assert.ok(
      rules.some((r) => r.resources?.includes('pods/log')),
      'viewer rules inherited through deployer',
    );
  });

  it('reports roleRules for every role, used or not, with scopes', () => {
    const roleRules = compile(acmeModel(), [], NOW).roleRules;
    assert.deepEqual(
      Object.keys(roleRules),
      [...BUILTIN_ROLE_NAMES, 'deployer', 'node-reader', 'release-manager'].sort(),
    );
    assert.equal(roleRules['node-reader']!.scope, 'cluster');
  });

  it('refuses an extends cycle', () => {
    const model = { ...acmeModel(), roles: [role('a', { extends: ['b'] }), role('b', { extends: ['a'] })] };
    assert.throws(() => resolveRoles(model), /extends cycle/);
  });

  it('canonicalises rules: sorted lists, duplicates dropped, verbs merged per target, * absorbing', () => {
    const rules = canonicalRules([
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', '*'], resourceNames: [] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
    assert.deepEqual(rules, [
      { apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
  });

  it('emits a role ClusterRole only on clusters where an active grant binds it', () => {
    const result = compile(acmeModel(), [{ name: 'prod-us', namespaces: ['payments', 'search'] }], NOW);
    const names = result.clusters[0]!.objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name);
    assert.deepEqual(names, ['roster:cluster-viewer', 'roster:editor', 'roster:node-reader', 'roster:release-manager']);
  });
});

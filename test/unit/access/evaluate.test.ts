import assert from 'node:assert/strict';
import { authorize, ruleAllows } from '../../../src/access/evaluate.js';
import { parseRequest } from '../../../src/access/resources.js';
import type { RbacBinding, RbacSnapshot } from '../../../src/access/types.js';
import type { RequestAttributes, UserInfo } from '../../../src/resources/authorization.js';
import type { PolicyRule } from '../../../src/model/types.js';

const get = (resource: string, namespace = 'payments', name?: string): RequestAttributes =>
  parseRequest({ verb: 'get', resource, namespace, ...(name ? { name } : {}) });

describe('access: RBAC rule matching', () => {
  const cases: Array<[string, PolicyRule, RequestAttributes, boolean]> = [
    ['matches verb, group and resource', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, get('pods'), true],
    ['refuses another verb', { apiGroups: [''], resources: ['pods'], verbs: ['list'] }, get('pods'), false],
    ['refuses another group', { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }, get('pods'), false],
    ['takes * for verbs', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }, get('pods'), true],
    ['takes * for groups', { apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }, get('deployments'), true],
    [
      'takes * for resources, subresources included',
      { apiGroups: [''], resources: ['*'], verbs: ['get'] },
      get('pods/log'),
      true,
    ],
    [
      'keeps a resource apart from its subresources',
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      get('pods/log'),
      false,
    ],
    [
      'matches resource/subresource',
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      get('pods/log'),
      true,
    ],
    [
      'matches */subresource',
      { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['get'] },
      get('deployments.apps/scale'),
      true,
    ],
    [
      'a subresource rule does not allow the resource',
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      get('pods'),
      false,
    ],
    [
      'resourceNames restrict to named objects',
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'], verbs: ['get'] },
      get('configmaps', 'x', 'a'),
      true,
    ],
    [
      'resourceNames refuse other names',
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'], verbs: ['get'] },
      get('configmaps', 'x', 'b'),
      false,
    ],
    [
      'resourceNames refuse unnamed requests',
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['a'], verbs: ['get'] },
      get('configmaps'),
      false,
    ],
    ['non-resource URL exact', { nonResourceURLs: ['/healthz'], verbs: ['get'] }, get('/healthz'), true],
    [
      'non-resource URL prefix with *',
      { nonResourceURLs: ['/metrics/*'], verbs: ['get'] },
      get('/metrics/cadvisor'),
      true,
    ],
    ['non-resource rules never allow resources', { nonResourceURLs: ['*'], verbs: ['*'] }, get('pods'), false],
    [
      'resource rules never allow non-resource URLs',
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      get('/healthz'),
      false,
    ],
  ];
  for (const [name, rule, attrs, expected] of cases) {
    it(name, () => assert.equal(ruleAllows(rule, attrs), expected));
  }
});

const readPods: PolicyRule = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };

function snapshot(bindings: RbacBinding[]): RbacSnapshot {
  return {
    cluster: 'east',
    roles: [
      { kind: 'ClusterRole', name: 'pod-reader', rules: [readPods] },
      { kind: 'Role', namespace: 'payments', name: 'local-reader', rules: [readPods] },
    ],
    bindings,
  };
}

const alice: UserInfo = { user: 'alice@example.com', groups: ['payments-eng'] };
const bob: UserInfo = { user: 'bob@example.com', groups: ['ops'] };
const user = (name: string) => ({ kind: 'User' as const, name });

describe('access: authorize', () => {
  it('applies a RoleBinding only in its own namespace', () => {
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments',
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [user(alice.user)],
        managed: true,
      },
    ]);
    assert.equal(authorize(s, alice, get('pods', 'payments')).allowed, true);
    assert.equal(authorize(s, alice, get('pods', 'checkout')).allowed, false);
    assert.equal(
      authorize(s, alice, parseRequest({ verb: 'list', resource: 'pods', allNamespaces: true })).allowed,
      false,
    );
  });

  it('applies a ClusterRoleBinding everywhere, cluster-wide requests included', () => {
    const s = snapshot([
      {
        kind: 'ClusterRoleBinding',
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [user(alice.user)],
        managed: false,
      },
    ]);
    assert.equal(authorize(s, alice, get('pods', 'anything')).allowed, true);
    assert.equal(
      authorize(s, alice, parseRequest({ verb: 'list', resource: 'pods', allNamespaces: true })).allowed,
      true,
    );
  });

  it('reaches a user through a group', () => {
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments',
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [{ kind: 'Group', name: 'payments-eng' }],
        managed: true,
      },
    ]);
    assert.equal(authorize(s, alice, get('pods')).allowed, true);
    assert.equal(authorize(s, bob, get('pods')).allowed, false);
  });

  it("resolves a Role reference in the binding's namespace", () => {
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments',
        name: 'b',
        roleRef: { kind: 'Role', name: 'local-reader' },
        subjects: [user(alice.user)],
        managed: false,
      },
    ]);
    assert.equal(authorize(s, alice, get('pods')).allowed, true);
  });

  it('grants nothing through a binding whose role does not exist', () => {
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments',
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'gone' },
        subjects: [user(alice.user)],
        managed: false,
      },
    ]);
    assert.equal(authorize(s, alice, get('pods')).allowed, false);
  });

  it("matches ServiceAccount subjects by their username, defaulting to the binding's namespace", () => {
    const sa: UserInfo = { user: 'system:serviceaccount:payments:ci', groups: [] };
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments',
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'ci' }],
        managed: true,
      },
    ]);
    assert.equal(authorize(s, sa, get('pods')).allowed, true);
    assert.equal(authorize(s, { user: 'system:serviceaccount:other:ci', groups: [] }, get('pods')).allowed, false);
  });

  it('never authorizes through an unexpanded namespace pattern', () => {
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments-*',
        pattern: true,
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [user(alice.user)],
        managed: true,
      },
    ]);
    assert.equal(authorize(s, alice, get('pods', 'payments-api')).allowed, false);
  });

  it('names the binding and role that allowed a request', () => {
    const s = snapshot([
      {
        kind: 'RoleBinding',
        namespace: 'payments',
        name: 'b',
        roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
        subjects: [user(alice.user)],
        managed: true,
      },
    ]);
    assert.equal(
      authorize(s, alice, get('pods')).reason,
      'allowed by RoleBinding "payments/b" of ClusterRole "pod-reader"',
    );
  });
});

import assert from 'node:assert/strict';
import { userInfoFor, withPrefix } from '../../../src/access/identity.js';
import { parseRequest } from '../../../src/access/resources.js';
import { UsageError } from '../../../src/errors.js';

describe('access: can-i RESOURCE argument', () => {
  it('resolves built-in resources to their API group, in namespace "default" by default', () => {
    assert.deepEqual(parseRequest({ verb: 'GET', resource: 'deployments' }), {
      verb: 'get',
      group: 'apps',
      resource: 'deployments',
      namespace: 'default',
    });
  });

  it('reads RESOURCE.GROUP/SUBRESOURCE and a resource name', () => {
    assert.deepEqual(
      parseRequest({ verb: 'update', resource: 'deployments.apps/scale', namespace: 'payments', name: 'api' }),
      {
        verb: 'update',
        group: 'apps',
        resource: 'deployments',
        subresource: 'scale',
        namespace: 'payments',
        name: 'api',
      },
    );
  });

  it('asks cluster-scoped resources without a namespace', () => {
    assert.equal(
      (parseRequest({ verb: 'list', resource: 'nodes', namespace: 'payments' }) as { namespace: string }).namespace,
      '',
    );
  });

  it('asks about every namespace with allNamespaces', () => {
    assert.equal(
      (parseRequest({ verb: 'list', resource: 'pods', allNamespaces: true }) as { namespace: string }).namespace,
      '',
    );
  });

  it('takes a leading slash as a non-resource URL', () => {
    assert.deepEqual(parseRequest({ verb: 'get', resource: '/healthz' }), { verb: 'get', path: '/healthz' });
  });

  it('refuses an unknown bare resource rather than guessing its group', () => {
    assert.throws(
      () => parseRequest({ verb: 'get', resource: 'widgets' }),
      (err: unknown) => err instanceof UsageError && /widgets\.example\.com/.test(err.message),
    );
  });
});

describe('access: identities as the API server sees them', () => {
  const oidc = { userPrefix: 'oidc:', groupPrefix: 'oidc:' };

  it('adds the cluster prefixes to users and groups written as in Git', () => {
    assert.deepEqual(userInfoFor({ user: 'alice@example.com', groups: ['payments-eng'] }, oidc, 'roster-tokens'), {
      user: 'oidc:alice@example.com',
      groups: ['oidc:payments-eng'],
    });
  });

  it('leaves prefixed and system: names alone', () => {
    assert.equal(withPrefix('oidc:alice', 'oidc:'), 'oidc:alice');
    assert.equal(withPrefix('system:masters', 'oidc:'), 'system:masters');
  });

  it('turns a token into its ServiceAccount with the groups every ServiceAccount has', () => {
    assert.deepEqual(userInfoFor({ token: 'ci', groups: [] }, oidc, 'roster-tokens'), {
      user: 'system:serviceaccount:roster-tokens:ci',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:roster-tokens'],
    });
  });

  it('gives a system:serviceaccount user its ServiceAccount groups', () => {
    assert.deepEqual(
      userInfoFor({ user: 'system:serviceaccount:ci:deployer', groups: [] }, oidc, 'roster-tokens').groups,
      ['system:serviceaccounts', 'system:serviceaccounts:ci'],
    );
  });
});

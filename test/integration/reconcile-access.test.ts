/**
 * Granting and revoking access through Git, checked the way it matters: the API server's authorizer
 * (SubjectAccessReview) and a real request made with alice's own credentials.
 */
import assert from 'node:assert/strict';
import { controlPlane } from './fixtures.js';
import {
  actionsOf,
  bindingPath,
  cleanUp,
  createNamespace,
  get,
  podReader,
  rosterJson,
  TempRepo,
  unique,
  type RepoSpec,
} from './reconcile-support.js';

describe('reconcile: access granted and revoked through Git', function () {
  const instance = unique('it-access');
  const namespace = unique('payments');
  const other = unique('payments-other');
  const role = unique('pod-reader');
  const binding = `roster:team:payments:${role}`;
  const withGrant: RepoSpec = {
    instance,
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: [
      {
        name: 'payments',
        users: ['alice@example.com'],
        grants: [
          { role, namespaces: [namespace] },
          { role, namespaces: [other] },
        ],
      },
    ],
  };
  // The team keeps its grant in the other namespace: an empty desired state would be refused by the prune guard.
  const withoutGrant: RepoSpec = {
    ...withGrant,
    teams: [{ name: 'payments', users: ['alice@example.com'], grants: [{ role, namespaces: [other] }] }],
  };
  let repo: TempRepo;

  before(async function () {
    await createNamespace('east', namespace);
    await createNamespace('east', other);
    repo = new TempRepo(withGrant);
  });

  after(async function () {
    repo.remove();
    await cleanUp(instance, [namespace, other]);
  });

  async function alice(verb: string, resource: string, expected: boolean): Promise<void> {
    await controlPlane().waitForAccess({
      cluster: 'east',
      user: 'alice',
      verb,
      resource,
      namespace,
      expected,
      timeoutMs: 20_000,
    });
  }

  it('denies alice before the grant exists', async function () {
    await alice('list', 'pods', false);
  });

  it('lets alice do what the role allows, and nothing more, after apply', async function () {
    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, JSON.stringify(json?.clusters));
    const actions = actionsOf(json, 'east');
    assert.equal(actions[`RoleBinding/${namespace}/${binding}`], 'created');
    assert.equal(actions[`ClusterRole/roster:${role}`], 'created');

    await alice('list', 'pods', true);
    await alice('get', 'pods', true);
    await alice('delete', 'pods', false);
    await alice('list', 'secrets', false);
    const cp = controlPlane();
    const pods = await cp.request('east', 'GET', `/api/v1/namespaces/${namespace}/pods`, undefined, { as: 'alice' });
    assert.equal(pods.status, 200, 'alice listing pods with her own token');
    const secrets = await cp.request('east', 'GET', `/api/v1/namespaces/${namespace}/secrets`, undefined, {
      as: 'alice',
    });
    assert.equal(secrets.status, 403, 'alice listing secrets with her own token');
    const elsewhere = await cp.request('east', 'GET', '/api/v1/namespaces/default/pods', undefined, { as: 'alice' });
    assert.equal(elsewhere.status, 403, 'alice listing pods in another namespace');
  });

  it('writes provenance annotations and ownership labels on the binding', async function () {
    const live = await get('east', bindingPath(namespace, binding));
    assert.equal(live?.metadata.labels?.['app.kubernetes.io/managed-by'], 'roster');
    assert.equal(live?.metadata.labels?.['roster.dev/instance'], instance);
    assert.equal(live?.metadata.annotations?.['roster.dev/source'], 'roster.yaml');
  });

  it('denies alice again and prunes the binding once the grant is removed', async function () {
    repo.write(withoutGrant);
    const plan = await rosterJson(repo, 'plan');
    assert.equal(plan.code, 1, 'plan exits 1 when there are changes');
    assert.equal(actionsOf(plan.json, 'east')[`RoleBinding/${namespace}/${binding}`], 'pruned');

    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, JSON.stringify(json?.clusters));
    assert.equal(actionsOf(json, 'east')[`RoleBinding/${namespace}/${binding}`], 'pruned');
    assert.equal(await get('east', bindingPath(namespace, binding)), undefined, 'the binding is gone');
    await alice('list', 'pods', false);
    const pods = await controlPlane().request('east', 'GET', `/api/v1/namespaces/${namespace}/pods`, undefined, {
      as: 'alice',
    });
    assert.equal(pods.status, 403);
  });

  it('has nothing left to do afterwards: plan exits 0', async function () {
    const { code, json } = await rosterJson(repo, 'plan');
    assert.equal(code, 0, JSON.stringify(json?.clusters));
  });
});

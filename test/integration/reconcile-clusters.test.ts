/**
 * Many clusters: selection by labels gives each cluster its own objects, and one cluster failing (its API server
 * stopped) is reported alone while the others converge.
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
  roster,
  rosterJson,
  TempRepo,
  unique,
  type RepoSpec,
} from './reconcile-support.js';

describe('reconcile: several clusters', function () {
  const instance = unique('it-multi');
  const namespace = unique('multi');
  const role = unique('pod-reader');
  const spec: RepoSpec = {
    instance,
    clusters: [
      { name: 'east', labels: { env: 'prod' } },
      { name: 'west', labels: { env: 'staging' } },
    ],
    roles: [podReader(role)],
    teams: [
      {
        name: 'prodteam',
        users: ['alice@example.com'],
        grants: [{ role, namespaces: [namespace], clusters: { matchLabels: { env: 'prod' } } }],
      },
      {
        name: 'stageteam',
        users: ['bob@example.com'],
        grants: [{ role, namespaces: [namespace], clusters: { matchLabels: { env: 'staging' } } }],
      },
    ],
  };
  const prodBinding = `roster:team:prodteam:${role}`;
  const stageBinding = `roster:team:stageteam:${role}`;
  let repo: TempRepo;

  before(async function () {
    for (const cluster of ['east', 'west']) await createNamespace(cluster, namespace);
    repo = new TempRepo(spec);
  });

  after(async function () {
    repo.remove();
    await controlPlane()
      .cluster('west')
      .startApiserver()
      .catch(() => undefined);
    await cleanUp(instance, [namespace]);
  });

  it('gives clusters with different labels different objects', async function () {
    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, JSON.stringify(json.clusters));
    assert.equal(actionsOf(json, 'east')[`RoleBinding/${namespace}/${prodBinding}`], 'created');
    assert.equal(actionsOf(json, 'west')[`RoleBinding/${namespace}/${stageBinding}`], 'created');
    assert.ok(await get('east', bindingPath(namespace, prodBinding)));
    assert.equal(await get('east', bindingPath(namespace, stageBinding)), undefined);
    assert.ok(await get('west', bindingPath(namespace, stageBinding)));
    assert.equal(await get('west', bindingPath(namespace, prodBinding)), undefined);
  });

  it('selects clusters with -l and --cluster', async function () {
    const { json } = await rosterJson(repo, 'plan', '-l', 'env=staging');
    assert.deepEqual(
      json.clusters.map((c: { name: string }) => c.name),
      ['west'],
    );
    const one = await rosterJson(repo, 'drift', '--cluster', 'east');
    assert.deepEqual(
      one.json.clusters.map((c: { name: string }) => c.name),
      ['east'],
    );
  });

  it('with west stopped, fails west alone (exit 3) and still converges east', async function () {
    await controlPlane().cluster('west').stopApiserver();
    await controlPlane().request('east', 'DELETE', bindingPath(namespace, prodBinding));
    const { code, json } = await rosterJson(repo, 'apply', '--timeout', '5');
    assert.equal(code, 3);
    const [east, west] = json.clusters;
    assert.equal(east?.status, 'ok');
    assert.equal(actionsOf(json, 'east')[`RoleBinding/${namespace}/${prodBinding}`], 'created');
    assert.equal(west?.status, 'failed');
    assert.match(west?.error ?? '', /ECONNREFUSED|cannot reach/);
    assert.ok(await get('east', bindingPath(namespace, prodBinding)), 'east converged');

    const text = await roster(repo, 'plan');
    assert.equal(text.code, 3);
    assert.match(text.out, /cluster west: failed: /);
  });

  it('converges west once its API server is back', async function () {
    await controlPlane().cluster('west').startApiserver();
    const { code, json } = await rosterJson(repo, 'apply');
    assert.equal(code, 0, JSON.stringify(json.clusters));
    assert.ok(await get('west', bindingPath(namespace, stageBinding)));
  });
});

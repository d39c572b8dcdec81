/**
 * Safety in the mechanism, on a real API server: objects Roster does not own are never changed or deleted (even
 * one with the very name Roster wants), the mass-prune guard and the per-object opt-out hold, and an invalid
 * config stops before any request reaches a cluster.
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
  RBAC,
  roster,
  rosterJson,
  rosterRequests,
  TempRepo,
  unique,
  type RepoSpec,
} from './reconcile-support.js';
import type { LiveObject } from '../../src/cluster/types.js';

function teamSpec(
  instance: string,
  role: string,
  namespaces: string[],
  prune = { enabled: true, maxPercent: 30 },
): RepoSpec {
  return {
    instance,
    prune,
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: namespaces.map((ns) => ({
      name: `team-${ns}`,
      users: ['carol@example.com'],
      grants: [{ role, namespaces: [ns] }],
    })),
  };
}

async function createBinding(namespace: string, name: string, user: string): Promise<LiveObject> {
  const body = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
  };
  const res = await controlPlane().request('east', 'POST', `${RBAC}/namespaces/${namespace}/rolebindings`, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as LiveObject;
}

describe('reconcile: safety', function () {
  describe('objects Roster does not own', function () {
    const instance = unique('it-foreign');
    const namespace = unique('shared');
    const role = unique('pod-reader');
    const ours = `roster:team:team-${namespace}:${role}`;
    let repo: TempRepo;
    let bystander: LiveObject;
    let squatter: LiveObject;

    before(async function () {
      await createNamespace('east', namespace);
      bystander = await createBinding(namespace, 'hand-made', 'someone@example.com');
      squatter = await createBinding(namespace, ours, 'someone@example.com');
      repo = new TempRepo(teamSpec(instance, role, [namespace]));
    });

    after(async function () {
      repo.remove();
      await cleanUp(instance, [namespace]);
    });

    it('unmanaged binding with the name Roster wants: conflict, cluster failed, both left alone', async function () {
      const { code, json } = await rosterJson(repo, 'apply');
      assert.equal(code, 3);
      assert.equal(actionsOf(json, 'east')[`RoleBinding/${namespace}/${ours}`], 'conflict');
      assert.equal(
        actionsOf(json, 'east')[`RoleBinding/${namespace}/hand-made`],
        undefined,
        'the bystander is not even seen',
      );
      for (const original of [bystander, squatter]) {
        const live = await get('east', bindingPath(namespace, original.metadata.name));
        assert.equal(
          live?.metadata.resourceVersion,
          original.metadata.resourceVersion,
          `${original.metadata.name} unchanged`,
        );
        assert.equal(live?.metadata.labels, undefined);
      }
    });

    it('never deletes the unmanaged bindings, even when Git declares nothing for the namespace', async function () {
      const other = unique('elsewhere');
      await createNamespace('east', other);
      repo.write(teamSpec(instance, role, [other]));
      const { code, json } = await rosterJson(repo, 'apply', '--force');
      assert.equal(code, 0, JSON.stringify(json.clusters));
      assert.ok(await get('east', bindingPath(namespace, 'hand-made')));
      assert.ok(await get('east', bindingPath(namespace, ours)));
      await controlPlane().request('east', 'DELETE', `/api/v1/namespaces/${other}`);
    });
  });

  describe('the mass-prune guard and the per-object opt-out', function () {
    const instance = unique('it-guard');
    const role = unique('pod-reader');
    const namespaces = [1, 2, 3, 4].map((i) => unique(`guard${i}`));
    const [a, b, c, d] = namespaces as [string, string, string, string];
    const bindingIn = (ns: string) => `roster:team:team-${ns}:${role}`;
    let repo: TempRepo;

    before(async function () {
      for (const ns of namespaces) await createNamespace('east', ns);
      repo = new TempRepo(teamSpec(instance, role, namespaces));
      const first = await roster(repo, 'apply');
      assert.equal(first.code, 0, first.out + first.err);
    });

    after(async function () {
      repo.remove();
      await cleanUp(instance, namespaces);
    });

    it('refuses to prune over prune.maxPercent of the managed objects, exits 3 and deletes nothing', async function () {
      repo.write(teamSpec(instance, role, [a, b])); // 2 of 5 managed objects would go: 40% > 30%
      const { code, json } = await rosterJson(repo, 'apply');
      assert.equal(code, 3);
      assert.match(json.clusters[0]?.error ?? '', /refusing to prune 2 of 5 managed objects/);
      assert.equal(actionsOf(json, 'east')[`RoleBinding/${c}/${bindingIn(c)}`], 'skipped');
      assert.ok(await get('east', bindingPath(c, bindingIn(c))));
      assert.ok(await get('east', bindingPath(d, bindingIn(d))));
    });

    it('keeps an object annotated roster.dev/prune: disabled, and prunes the rest with --force', async function () {
      const optOut = { metadata: { annotations: { 'roster.dev/prune': 'disabled' } } };
      assert.equal((await controlPlane().request('east', 'PATCH', bindingPath(c, bindingIn(c)), optOut)).status, 200);
      const { code, json } = await rosterJson(repo, 'apply', '--force');
      assert.equal(code, 0, JSON.stringify(json.clusters));
      const actions = actionsOf(json, 'east');
      assert.equal(actions[`RoleBinding/${c}/${bindingIn(c)}`], 'skipped');
      assert.equal(actions[`RoleBinding/${d}/${bindingIn(d)}`], 'pruned');
      assert.ok(await get('east', bindingPath(c, bindingIn(c))), 'the opted-out binding stays');
      assert.equal(await get('east', bindingPath(d, bindingIn(d))), undefined);
    });

    it('only reports prune candidates when prune.enabled is false', async function () {
      repo.write(teamSpec(instance, role, [a], { enabled: false, maxPercent: 100 }));
      const { code, json } = await rosterJson(repo, 'apply');
      assert.equal(code, 0);
      assert.equal(actionsOf(json, 'east')[`RoleBinding/${b}/${bindingIn(b)}`], 'skipped');
      assert.ok(await get('east', bindingPath(b, bindingIn(b))));
    });
  });

  describe('expiries and the mass-prune guard', function () {
    const instance = unique('it-expiry');
    const role = unique('pod-reader');
    const namespaces = [1, 2, 3, 4].map((i) => unique(`exp${i}`));
    const [a, b, c, d] = namespaces as [string, string, string, string];
    const bindingIn = (ns: string) => `roster:team:team-${ns}:${role}`;
    const expires = '2030-01-01T00:00:00Z';
    const saved = process.env.ROSTER_NOW;
    let repo: TempRepo;

    before(async function () {
      for (const ns of namespaces) await createNamespace('east', ns);
      // Two of four grants end at the same time: their removal is 2 of 5 managed objects, over maxPercent 30.
      const spec = teamSpec(instance, role, namespaces);
      for (const team of spec.teams.filter((t) => t.name.endsWith(c) || t.name.endsWith(d)))
        team.grants[0]!.expires = expires;
      repo = new TempRepo(spec);
      process.env.ROSTER_NOW = '2029-12-31T00:00:00Z';
      const first = await roster(repo, 'apply');
      assert.equal(first.code, 0, first.out + first.err);
    });

    after(async function () {
      if (saved === undefined) delete process.env.ROSTER_NOW;
      else process.env.ROSTER_NOW = saved;
      repo.remove();
      await cleanUp(instance, namespaces);
    });

    it('prunes bindings whose grants expired even beyond prune.maxPercent, without --force', async function () {
      process.env.ROSTER_NOW = '2030-01-01T00:00:01Z';
      const { code, json } = await rosterJson(repo, 'apply');
      assert.equal(code, 0, JSON.stringify(json.clusters));
      const actions = actionsOf(json, 'east');
      assert.equal(actions[`RoleBinding/${c}/${bindingIn(c)}`], 'pruned');
      assert.equal(actions[`RoleBinding/${d}/${bindingIn(d)}`], 'pruned');
      assert.equal(await get('east', bindingPath(c, bindingIn(c))), undefined);
      assert.ok(await get('east', bindingPath(a, bindingIn(a))), 'grants without an end stay');
      assert.ok(await get('east', bindingPath(b, bindingIn(b))));
    });
  });

  describe('an invalid config', function () {
    it('exits 2 and sends no request to any cluster', async function () {
      const repo = new TempRepo(
        `apiVersion: roster/v1\nkind: Team\nmetadata: {name: broken}\nspec:\n  grants:\n` +
          `    - role: no-such-role\n      namespaces: [x]\n`,
      );
      const since = new Date();
      try {
        for (const command of ['plan', 'apply', 'drift']) {
          const res = await roster(repo, command);
          assert.equal(res.code, 2, `${command}: ${res.err}`);
          assert.match(res.err, /no-such-role/);
        }
        for (const cluster of ['east', 'west'])
          assert.deepEqual(await rosterRequests(cluster, since), [], `requests to ${cluster}`);
      } finally {
        repo.remove();
      }
    });
  });
});

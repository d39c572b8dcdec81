/**
 * `roster apply --adopt` on a real API server: a RoleBinding someone created by hand under the very name Roster
 * generates is a conflict (left untouched, exit 3) until `--adopt`, which takes it over in place — same object
 * (uid), Roster's labels, Git's subjects — or replaces it when its roleRef differs (roleRef is immutable).
 */
import assert from 'node:assert/strict';
import type { LiveObject } from '../../src/cluster/types.js';
import { bindingName } from '../../src/resources/names.js';
import { controlPlane } from './fixtures.js';
import {
  actionsOf,
  bindingPath,
  cleanUp,
  createNamespace,
  get,
  getExisting,
  podReader,
  RBAC,
  rosterJson,
  TempRepo,
  unique,
} from './reconcile-support.js';

describe('apply --adopt takes over a real same-named object', function () {
  this.timeout(120_000);
  const instance = unique('adopt');
  const role = unique('adopt-reader');
  const namespace = unique('adopt');
  const repo = new TempRepo({
    instance,
    clusters: [{ name: 'east' }],
    roles: [podReader(role)],
    teams: [
      { name: 'payments', users: ['alice@example.com'], grants: [{ role, namespaces: [namespace] }] },
      { name: 'checkout', users: ['bob@example.com'], grants: [{ role, namespaces: [namespace] }] },
    ],
  });
  const inPlace = bindingName({ kind: 'team', name: 'payments' }, role);
  const replaced = bindingName({ kind: 'team', name: 'checkout' }, role);
  const read = (name: string): Promise<LiveObject> => getExisting('east', bindingPath(namespace, name));

  before(async () => {
    await createNamespace('east', namespace);
    const byHand = (name: string, roleRef: string, user: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace, labels: { 'made-by': 'hand' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleRef },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
    });
    for (const [name, ref] of [
      [inPlace, `roster:${role}`],
      [replaced, 'view'],
    ] as const) {
      const res = await controlPlane().request(
        'east',
        'POST',
        `${RBAC}/namespaces/${namespace}/rolebindings`,
        byHand(name, ref, 'mallory@example.com'),
      );
      assert.equal(res.status, 201);
    }
  });

  after(async () => {
    await cleanUp(instance, [namespace]);
    repo.remove();
  });

  it('reports a conflict and leaves the objects alone without --adopt', async () => {
    const before = await read(inPlace);
    const res = await rosterJson(repo, 'apply');
    assert.equal(res.code, 3, res.err);
    const actions = actionsOf(res.json, 'east');
    assert.equal(actions[`RoleBinding/${namespace}/${inPlace}`], 'conflict');
    assert.equal(actions[`RoleBinding/${namespace}/${replaced}`], 'conflict');
    const after = await read(inPlace);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'not written');
    assert.equal(after.subjects?.[0]?.name, 'mallory@example.com');
  });

  it('takes them over with --adopt: in place when the roleRef matches, replaced when it does not', async () => {
    const before = await read(inPlace);
    const beforeReplaced = await read(replaced);
    const res = await rosterJson(repo, 'apply', '--adopt');
    assert.equal(res.code, 0, res.err);
    const actions = actionsOf(res.json, 'east');
    assert.equal(actions[`RoleBinding/${namespace}/${inPlace}`], 'updated');
    assert.equal(actions[`RoleBinding/${namespace}/${replaced}`], 'updated');
    const adopted = await read(inPlace);
    assert.equal(adopted.metadata.uid, before.metadata.uid, 'the same object, taken over in place');
    assert.equal(adopted.metadata.labels?.['roster.dev/instance'], instance);
    assert.equal(adopted.metadata.labels?.['app.kubernetes.io/managed-by'], 'roster');
    assert.deepEqual(
      (adopted.subjects ?? []).map((s) => s.name),
      ['alice@example.com'],
    );
    const swapped = await read(replaced);
    assert.notEqual(swapped.metadata.uid, beforeReplaced.metadata.uid, 'roleRef is immutable: replaced');
    assert.equal(swapped.roleRef?.name, `roster:${role}`);
    assert.equal(swapped.metadata.labels?.['roster.dev/instance'], instance);
    assert.equal(await get('east', bindingPath(namespace, `${replaced}:replacing`)), undefined, 'no bridge left');
    // Now Roster's: a plain apply finds nothing to do.
    const again = await rosterJson(repo, 'apply');
    assert.equal(again.code, 0, again.err);
    assert.ok(Object.values(actionsOf(again.json, 'east')).every((a) => a === 'unchanged'));
  });
});

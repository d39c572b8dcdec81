/**
 * `roster can-i` offline (RBAC evaluated over the state compiled from Git) must answer exactly what the API server's
 * own authorizer answers (`--live`, a SubjectAccessReview) once `roster apply` has run: a table of subjects × verbs
 * × resources × namespaces × clusters, each with the answer both must give.
 */
import assert from 'node:assert/strict';
import { accessRepoYaml, inMinutes, type AccessRepoSpec } from './access-support.js';
import { cleanUp, createNamespace, roster, TempRepo, unique } from './reconcile-support.js';

const id = unique('cani').slice(5);
const nsA = `cani-${id}`;
const nsB = `cani-${id}-api`;
const nsC = `cani-other-${id}`;
const tokenNamespace = `cani-tokens-${id}`;
const role = (name: string) => `cani-${name}-${id}`;

const spec: AccessRepoSpec = {
  instance: `it-cani-${id}`,
  tokenNamespace,
  clusters: [
    { name: 'east', labels: { env: 'prod' } },
    { name: 'west', labels: { env: 'staging' } },
  ],
  roles: [
    {
      name: role('logs'),
      scope: 'namespace',
      rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }],
    },
    {
      name: role('one-cm'),
      scope: 'namespace',
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] }],
    },
    // `*/scale` is every scale subresource; the guardrails ask for privileged: true on any `*` in resources.
    {
      name: role('scaler'),
      scope: 'namespace',
      privileged: true,
      rules: [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['get', 'update'] }],
    },
    { name: role('nodes'), scope: 'cluster', rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] },
  ],
  teams: [
    {
      name: 'payments',
      users: ['alice@example.com'],
      groups: ['payments-eng'],
      grants: [
        { role: role('logs'), namespaces: [nsA, `cani-${id}-*`] },
        { role: role('scaler'), namespaces: [nsA], clusters: { matchLabels: { env: 'prod' } } },
      ],
    },
    {
      name: 'ops',
      groups: ['ops'],
      grants: [
        { role: role('nodes'), clusters: { names: ['east'] } },
        { role: role('one-cm'), namespaces: [nsC] },
      ],
    },
  ],
  tokens: [
    {
      name: 'ci',
      owner: 'payments',
      expires: inMinutes(30 * 24 * 60),
      grants: [{ role: role('logs'), namespaces: [nsC], clusters: { names: ['west'] } }],
    },
  ],
};

interface Case {
  as: string[];
  ask: string[];
  cluster: 'east' | 'west';
  expected: boolean;
}

const alice = ['--as', 'alice@example.com'];
const aliceGroup = ['--as', 'dave@example.com', '--as-group', 'payments-eng'];
const bob = ['--as', 'bob@example.com', '--as-group', 'ops'];
const carol = ['--as', 'carol@example.com'];
const token = ['--as', `system:serviceaccount:${tokenNamespace}:ci`];

const table: Case[] = [
  { as: alice, ask: ['get', 'pods', '-n', nsA], cluster: 'east', expected: true },
  { as: alice, ask: ['list', 'pods', '-n', nsA], cluster: 'west', expected: true },
  { as: alice, ask: ['get', 'pods/log', '-n', nsA], cluster: 'east', expected: true },
  { as: alice, ask: ['delete', 'pods', '-n', nsA], cluster: 'east', expected: false },
  { as: alice, ask: ['get', 'pods/exec', '-n', nsA], cluster: 'east', expected: false },
  { as: alice, ask: ['get', 'pods', '-n', nsB], cluster: 'east', expected: true },
  { as: alice, ask: ['get', 'pods', '-n', nsC], cluster: 'east', expected: false },
  { as: alice, ask: ['list', 'pods', '-A'], cluster: 'east', expected: false },
  { as: alice, ask: ['update', 'deployments.apps/scale', '-n', nsA], cluster: 'east', expected: true },
  { as: alice, ask: ['update', 'statefulsets.apps/scale', '-n', nsA, '--name', 'db'], cluster: 'east', expected: true },
  { as: alice, ask: ['update', 'deployments.apps/scale', '-n', nsA], cluster: 'west', expected: false },
  { as: alice, ask: ['update', 'deployments', '-n', nsA], cluster: 'east', expected: false },
  { as: alice, ask: ['get', 'configmaps', '-n', nsA], cluster: 'east', expected: false },
  { as: aliceGroup, ask: ['list', 'pods', '-n', nsA], cluster: 'east', expected: true },
  { as: aliceGroup, ask: ['list', 'pods', '-n', nsB], cluster: 'west', expected: true },
  { as: aliceGroup, ask: ['get', 'deployments.apps/scale', '-n', nsB], cluster: 'east', expected: false },
  { as: bob, ask: ['list', 'nodes'], cluster: 'east', expected: true },
  { as: bob, ask: ['list', 'nodes'], cluster: 'west', expected: false },
  { as: bob, ask: ['get', 'nodes'], cluster: 'east', expected: false },
  { as: bob, ask: ['get', 'configmaps', '-n', nsC, '--name', 'settings'], cluster: 'east', expected: true },
  { as: bob, ask: ['get', 'configmaps', '-n', nsC, '--name', 'settings'], cluster: 'west', expected: true },
  { as: bob, ask: ['get', 'configmaps', '-n', nsC, '--name', 'secrets'], cluster: 'east', expected: false },
  { as: bob, ask: ['get', 'configmaps', '-n', nsC], cluster: 'east', expected: false },
  { as: bob, ask: ['list', 'pods', '-n', nsA], cluster: 'east', expected: false },
  { as: carol, ask: ['get', 'pods', '-n', nsA], cluster: 'east', expected: false },
  { as: carol, ask: ['list', 'nodes'], cluster: 'east', expected: false },
  { as: token, ask: ['get', 'pods', '-n', nsC], cluster: 'west', expected: true },
  { as: token, ask: ['get', 'pods/log', '-n', nsC], cluster: 'west', expected: true },
  { as: token, ask: ['get', 'pods', '-n', nsC], cluster: 'east', expected: false },
  { as: token, ask: ['get', 'pods', '-n', nsA], cluster: 'west', expected: false },
  { as: token, ask: ['get', 'secrets', '-n', nsC], cluster: 'west', expected: false },
];

describe("roster can-i: offline answers equal the API server's", function () {
  let repo: TempRepo;

  before(async function () {
    for (const cluster of ['east', 'west']) for (const ns of [nsA, nsB, nsC]) await createNamespace(cluster, ns);
    repo = new TempRepo(accessRepoYaml(spec));
    const applied = await roster(repo, 'apply');
    assert.equal(applied.code, 0, `roster apply failed:\n${applied.out}\n${applied.err}`);
  });

  after(async function () {
    repo.remove();
    await cleanUp(spec.instance, [nsA, nsB, nsC, tokenNamespace]);
  });

  async function canI(c: Case, live: boolean): Promise<boolean> {
    const res = await roster(repo, 'can-i', ...c.ask, ...c.as, '--cluster', c.cluster, ...(live ? ['--live'] : []));
    assert.ok(res.code === 0 || res.code === 1, `can-i exited ${res.code}: ${res.err}`);
    assert.equal(res.out, res.code === 0 ? 'yes\n' : 'no\n');
    return res.code === 0;
  }

  /** RBAC reaches the authorizer's cache a moment after apply: ask again for a while before concluding. */
  async function liveAnswer(c: Case, wanted: boolean): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await canI(c, true);
      if (answer === wanted || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  for (const c of table) {
    const subject = c.as.filter((a) => !a.startsWith('--')).join(' +');
    it(`${c.cluster}: ${subject} ${c.ask.join(' ')} → ${c.expected ? 'yes' : 'no'}`, async function () {
      const offline = await canI(c, false);
      assert.equal(offline, c.expected, 'the offline answer');
      assert.equal(
        await liveAnswer(c, offline),
        offline,
        'the live answer (SubjectAccessReview) differs from the offline one',
      );
    });
  }
});

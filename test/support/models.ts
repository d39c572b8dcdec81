/**
 * Hand-built config models for compiler tests: what the validator would hand over for a realistic repository
 * (3 clusters labelled by env and region, 4 teams, custom roles with extends, tokens, a namespace pattern,
 * time-bound grants). Each call returns a fresh model, so tests can change it freely.
 */

import {
  DEFAULT_SETTINGS,
  type AccessToken,
  type Cluster,
  type ClusterSelector,
  type CustomRole,
  type Grant,
  type Members,
  type Model,
  type PolicyRule,
  type Team,
  type Writable,
} from '../../src/model/types.js';
import type { ClusterFacts } from '../../src/compile/types.js';

/** The clock every compiler test uses. */
export const NOW = new Date('2026-03-01T00:00:00Z');

const src = (file: string, line = 1) => ({ file, doc: 0, line, col: 1 });

export function cluster(name: string, labels: Record<string, string>, prefix = ''): Cluster {
  return { name, labels, context: name, userPrefix: prefix, groupPrefix: prefix, source: src(`clusters/${name}.yaml`) };
}

export function role(
  name: string,
  spec: { scope?: 'namespace' | 'cluster'; extends?: string[]; rules?: PolicyRule[] },
): CustomRole {
  return {
    name,
    scope: spec.scope ?? 'namespace',
    extends: spec.extends ?? [],
    rules: spec.rules ?? [],
    privileged: false,
    source: src(`roles/${name}.yaml`),
  };
}

export interface GrantSpec {
  role: string;
  namespaces?: string[];
  clusters?: ClusterSelector;
  notBefore?: string;
  expires?: string;
}

function grants(file: string, specs: GrantSpec[]): Grant[] {
  return specs.map((g, index) => {
    const grant: Writable<Grant> = {
      role: g.role,
      namespaces: g.namespaces ?? [],
      clusters: g.clusters ?? { all: true },
      index,
      source: src(file, 8 + 4 * index),
    };
    if (g.notBefore) grant.notBefore = new Date(g.notBefore);
    if (g.expires) grant.expires = new Date(g.expires);
    return grant;
  });
}

export function team(name: string, members: Partial<Members>, specs: GrantSpec[]): Team {
  const file = `teams/${name}.yaml`;
  const full: Members = {
    users: members.users ?? [],
    groups: members.groups ?? [],
    serviceAccounts: members.serviceAccounts ?? [],
  };
  return { name, members: full, grants: grants(file, specs), source: src(file) };
}

export function token(name: string, owner: string, expires: string, specs: GrantSpec[]): AccessToken {
  const file = `tokens/${name}.yaml`;
  return { name, owner, expires: new Date(expires), grants: grants(file, specs), source: src(file) };
}

/** A copy of `model` whose team `name` is `change(team)`: models are read-only, so a test builds the variant it
 * needs. */
export function withTeam(model: Model, name: string, change: (team: Team) => Team): Model {
  return { ...model, teams: model.teams.map((t) => (t.name === name ? change(t) : t)) };
}

export function acmeModel(): Model {
  return {
    settings: { ...DEFAULT_SETTINGS, instance: 'acme' },
    clusters: [
      cluster('prod-eu', { env: 'prod', region: 'eu' }, 'oidc:'),
      cluster('prod-us', { env: 'prod', region: 'us' }, 'oidc:'),
      cluster('staging-eu', { env: 'staging', region: 'eu' }),
    ],
    roles: [
      role('deployer', {
        extends: ['viewer'],
        rules: [
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        ],
      }),
      role('node-reader', {
        scope: 'cluster',
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list', 'get'] }],
      }),
      role('release-manager', {
        extends: ['deployer'],
        rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['create'] }],
      }),
    ],
    teams: [
      team('data', { groups: ['data-eng'] }, [
        {
          role: 'viewer',
          namespaces: ['analytics'],
          clusters: { names: ['prod-eu'] },
          notBefore: '2026-04-01T00:00:00Z',
        },
        { role: 'editor', namespaces: ['analytics'], clusters: { matchLabels: { env: 'staging' } } },
      ]),
      team(
        'payments',
        { users: ['bob@example.com', 'alice@example.com'], groups: ['payments-eng'], serviceAccounts: ['ci/deployer'] },
        [
          { role: 'editor', namespaces: ['payments', 'payments-*'], clusters: { matchLabels: { env: 'prod' } } },
          { role: 'viewer', namespaces: ['payments'], clusters: { names: ['staging-eu'] } },
          {
            role: 'editor',
            namespaces: ['payments'],
            clusters: { matchLabels: { region: 'eu' } },
            expires: '2026-09-01T00:00:00Z',
          },
        ],
      ),
      team('platform', { groups: ['platform'] }, [
        { role: 'cluster-viewer' },
        { role: 'node-reader', clusters: { matchLabels: { env: 'prod' } } },
        { role: 'owner', namespaces: ['*'], clusters: { names: ['staging-eu'] } },
      ]),
      team('search', { users: ['carol@example.com'] }, [
        { role: 'release-manager', namespaces: ['search', 'kube-system'] },
        { role: 'owner', namespaces: ['search'], clusters: { names: ['prod-eu'] }, expires: '2026-01-01T00:00:00Z' },
      ]),
    ],
    tokens: [
      token('ci-deployer', 'payments', '2027-03-01T00:00:00Z', [
        { role: 'deployer', namespaces: ['payments'], clusters: { names: ['prod-eu'] } },
      ]),
      token('old-ci', 'search', '2026-02-01T00:00:00Z', [{ role: 'viewer', namespaces: ['search'] }]),
    ],
  };
}

/** Namespaces as read from the clusters. staging-eu has no `payments-*` and no `search`. */
export function acmeFacts(): ClusterFacts[] {
  const common = ['default', 'kube-public', 'kube-system', 'payments', 'analytics'];
  return [
    { name: 'prod-eu', namespaces: [...common, 'payments-api', 'payments-worker', 'search'] },
    { name: 'prod-us', namespaces: [...common, 'payments-api', 'search'] },
    { name: 'staging-eu', namespaces: [...common] },
  ];
}

/** Offline: only the cluster names. */
export function offlineFacts(model: Model): ClusterFacts[] {
  return model.clusters.map((c) => ({ name: c.name }));
}

/** A deterministic shuffle (LCG), so a failing determinism test can be replayed. */
export function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same model with every list that carries no meaning in its order shuffled. */
export function shuffledModel(model: Model, seed: number): Model {
  const members = (m: Members): Members => ({
    users: shuffle(m.users, seed),
    groups: shuffle(m.groups, seed + 1),
    serviceAccounts: shuffle(m.serviceAccounts, seed + 2),
  });
  return {
    ...model,
    clusters: shuffle(model.clusters, seed),
    roles: shuffle(model.roles, seed + 3).map((r) => ({
      ...r,
      extends: shuffle(r.extends, seed),
      rules: shuffle(r.rules, seed),
    })),
    teams: shuffle(model.teams, seed + 4).map((t) => ({
      ...t,
      members: members(t.members),
      grants: shuffle(t.grants, seed + 5),
    })),
    tokens: shuffle(model.tokens, seed + 6).map((t) => ({ ...t, grants: shuffle(t.grants, seed + 7) })),
  };
}

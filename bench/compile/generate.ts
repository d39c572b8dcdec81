/**
 * A synthetic config repository for the compile benchmark, as YAML files (what validate reads) and as the Model
 * those files describe (what compile reads when validate is not measured). At scale 1: 2,000 teams, 10 clusters,
 * 10,000 namespaces per cluster, ≈100,000 RoleBindings.
 *
 * Per team: `editor` (or a custom deployer role, every 10th team) on 2 literal namespaces on every cluster (20
 * bindings), `viewer` on the pattern `<team>-*` (5 namespaces) on the 6 prod clusters (30 bindings). Every 50th team
 * also holds `cluster-viewer` on one cluster and a time-bound `owner`; every 20th team owns a token.
 */

import {
  DEFAULT_SETTINGS,
  type AccessToken,
  type Cluster,
  type CustomRole,
  type Grant,
  type Model,
  type Team,
} from '../../src/model/types.js';
import type { ClusterFacts } from '../../src/compile/types.js';
import type { RepoFile } from '../../src/load/types.js';
import { toFiles } from './yaml.js';

export interface SyntheticRepo {
  files: RepoFile[];
  model: Model;
  facts: ClusterFacts[];
}

const CLUSTERS = 10;
const TEAMS_PER_SCALE = 2000;
const SUFFIXES = ['api', 'app', 'db', 'jobs', 'web'];
const ROLES = 20;
const DAY = 24 * 3600 * 1000;

const src = (file: string, line = 1) => ({ file, doc: 0, line, col: 1 });
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function syntheticRepo(scale: number, now: Date): SyntheticRepo {
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => makeCluster(i));
  const roles = Array.from({ length: ROLES }, (_, i) => makeRole(i));
  const teams = Array.from({ length: TEAMS_PER_SCALE * scale }, (_, i) => makeTeam(i, now));
  const tokens = teams.filter((_, i) => i % 20 === 0).map((team) => makeToken(team.name, now));
  const model: Model = { settings: { ...DEFAULT_SETTINGS, instance: 'bench' }, clusters, roles, teams, tokens };
  const namespaces = [
    'default',
    'kube-system',
    'kube-public',
    ...teams.flatMap((t) => SUFFIXES.map((s) => `${t.name}-${s}`)),
  ];
  return { files: toFiles(model), model, facts: clusters.map((c) => ({ name: c.name, namespaces })) };
}

function makeCluster(i: number): Cluster {
  const name = `cluster-${pad(i, 2)}`;
  const labels = { env: i < 6 ? 'prod' : i < 8 ? 'staging' : 'dev', region: ['eu', 'us', 'ap'][i % 3]! };
  return {
    name,
    labels,
    context: name,
    userPrefix: 'oidc:',
    groupPrefix: 'oidc:',
    source: src(`clusters/${name}.yaml`),
  };
}

function makeRole(i: number): CustomRole {
  const name = `deployer-${pad(i, 2)}`;
  const rules = [
    {
      apiGroups: ['apps'],
      resources: ['deployments', `deployments/scale`],
      verbs: ['get', 'list', 'watch', 'update', 'patch'],
    },
  ];
  return {
    name,
    scope: 'namespace',
    extends: [i % 2 === 0 ? 'viewer' : 'editor'],
    rules,
    privileged: false,
    source: src(`roles/${name}.yaml`),
  };
}

function grant(index: number, file: string, fields: Omit<Grant, 'index' | 'source'>): Grant {
  return { ...fields, index, source: src(file, 10 + 4 * index) };
}

function makeTeam(i: number, now: Date): Team {
  const name = `team-${pad(i, 6)}`;
  const file = `teams/${name}.yaml`;
  const grants = [
    grant(0, file, {
      role: i % 10 === 0 ? `deployer-${pad(i % ROLES, 2)}` : 'editor',
      namespaces: [`${name}-api`, `${name}-app`],
      clusters: { all: true },
    }),
    grant(1, file, { role: 'viewer', namespaces: [`${name}-*`], clusters: { matchLabels: { env: 'prod' } } }),
  ];
  if (i % 50 === 0) {
    grants.push(grant(2, file, { role: 'cluster-viewer', namespaces: [], clusters: { names: ['cluster-00'] } }));
    grants.push(
      grant(3, file, {
        role: 'owner',
        namespaces: [`${name}-db`],
        clusters: { all: true },
        expires: new Date(now.getTime() + 30 * DAY),
      }),
    );
  }
  const members = {
    users: [`a${i}@example.com`, `b${i}@example.com`],
    groups: [name],
    serviceAccounts: [`${name}-app/ci`],
  };
  return { name, members, grants, source: src(file) };
}

function makeToken(team: string, now: Date): AccessToken {
  const name = `${team}-ci`;
  const file = `tokens/${name}.yaml`;
  const grants = [
    grant(0, file, { role: 'deployer-01', namespaces: [`${team}-app`], clusters: { matchLabels: { env: 'prod' } } }),
  ];
  return { name, owner: team, expires: new Date(now.getTime() + 60 * DAY), created: now, grants, source: src(file) };
}

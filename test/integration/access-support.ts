/**
 * Config repositories with access tokens and a token namespace of their own, for the token, can-i and access
 * integration tests. Role names are unique per test: roles compile to cluster-scoped ClusterRoles.
 */
import { stringify } from 'yaml';
import type { GrantSpec, RepoSpec } from './reconcile-support.js';

export interface TokenSpec {
  name: string;
  owner: string;
  expires: Date;
  grants: GrantSpec[];
}

export interface AccessRepoSpec extends RepoSpec {
  roles?: Array<{ name: string; scope: 'namespace' | 'cluster'; rules: unknown[]; privileged?: boolean }>;
  tokenNamespace: string;
  tokens?: TokenSpec[];
  /** More Settings fields, e.g. maxUserCertLifetime. */
  settings?: Record<string, unknown>;
  suspensions?: Array<{ name: string; reason: string; subjects: Record<string, string[]>; expires?: string }>;
  /** More Cluster spec fields by cluster name, e.g. `{east: {userPrefix: 'oidc:'}}`. */
  clusterSpecs?: Record<string, Record<string, unknown>>;
}

const doc = (kind: string, name: string, spec: unknown, labels?: Record<string, string>): string =>
  stringify({ apiVersion: 'roster/v1', kind, metadata: labels ? { name, labels } : { name }, spec });

/** Settings (with the token namespace), clusters, roles, teams and tokens, one YAML stream. */
export function accessRepoYaml(spec: AccessRepoSpec): string {
  const docs = [
    doc('Settings', 'roster', {
      instance: spec.instance,
      tokenNamespace: spec.tokenNamespace,
      prune: spec.prune ?? { enabled: true, maxPercent: 100 },
      ...spec.settings,
    }),
    ...(spec.clusters ?? [{ name: 'east' }, { name: 'west' }]).map((c) =>
      doc('Cluster', c.name, { context: c.name, ...spec.clusterSpecs?.[c.name] }, c.labels ?? {}),
    ),
    ...(spec.roles ?? []).map((r) =>
      doc('Role', r.name, { scope: r.scope, rules: r.rules, ...(r.privileged ? { privileged: true } : {}) }),
    ),
    ...spec.teams.map((t) =>
      doc('Team', t.name, { members: { users: t.users ?? [], groups: t.groups ?? [] }, grants: t.grants }),
    ),
    ...(spec.tokens ?? []).map((t) =>
      doc('AccessToken', t.name, {
        owner: t.owner,
        expires: t.expires.toISOString().replace('.000Z', 'Z'),
        grants: t.grants,
      }),
    ),
    ...(spec.suspensions ?? []).map(({ name, ...rest }) => doc('Suspension', name, rest)),
  ];
  return docs.join('---\n');
}

export function inMinutes(minutes: number): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000);
}

/** The claims of a JWT (a ServiceAccount token), without checking its signature: the API server does that. */
export function jwtClaims(token: string): { exp: number; sub: string } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp: number; sub: string };
}

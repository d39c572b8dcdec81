/** Small Roster config files as YAML text, for tests that commit configs to temporary Git repositories. */

export interface TeamSpec {
  users?: string[];
  groups?: string[];
  grants: Array<{
    role: string;
    namespaces?: string[];
    clusters?: string[];
    expires?: string;
    notBefore?: string;
    privileged?: boolean;
  }>;
}

export function settings(instance = 'test'): string {
  return (
    `apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec:\n  instance: ${instance}\n` +
    `  maxTokenLifetime: 90d\n`
  );
}

export function cluster(name: string, labels: Record<string, string> = {}, userPrefix = ''): string {
  const labelText = Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const prefix = userPrefix ? `\n  userPrefix: "${userPrefix}"\n  groupPrefix: "${userPrefix}"` : '';
  return (
    `apiVersion: roster/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n  labels: {${labelText}}\nspec:\n` +
    `  context: ${name}${prefix}\n`
  );
}

export function team(name: string, spec: TeamSpec): string {
  const members = [
    spec.users?.length ? `    users: [${spec.users.join(', ')}]` : '',
    spec.groups?.length ? `    groups: [${spec.groups.join(', ')}]` : '',
  ].filter(Boolean);
  const grants = spec.grants.map((g) => {
    const parts = [`role: ${g.role}`];
    if (g.namespaces) parts.push(`namespaces: [${g.namespaces.map((n) => `"${n}"`).join(', ')}]`);
    if (g.clusters) parts.push(`clusters: {names: [${g.clusters.join(', ')}]}`);
    if (g.notBefore) parts.push(`notBefore: ${g.notBefore}`);
    if (g.expires) parts.push(`expires: ${g.expires}`);
    if (g.privileged) parts.push('privileged: true');
    return `    - {${parts.join(', ')}}`;
  });
  return (
    `apiVersion: roster/v1\nkind: Team\nmetadata:\n  name: ${name}\nspec:\n  members:\n` +
    `${members.join('\n') || '    users: []'}\n  grants:\n${grants.join('\n') || '    []'}\n`
  );
}

export function role(
  name: string,
  opts: {
    scope?: 'namespace' | 'cluster';
    verbs: string[];
    resources: string[];
    privileged?: boolean;
    extends?: string[];
  },
): string {
  const ext = opts.extends ? `\n  extends: [${opts.extends.join(', ')}]` : '';
  const priv = opts.privileged ? '\n  privileged: true' : '';
  return (
    `apiVersion: roster/v1\nkind: Role\nmetadata:\n  name: ${name}\nspec:\n` +
    `  scope: ${opts.scope ?? 'namespace'}${ext}${priv}\n  rules:\n` +
    `    - {apiGroups: [""], resources: [${opts.resources.map((r) => `"${r}"`).join(', ')}], verbs: ` +
    `[${opts.verbs.map((v) => `"${v}"`).join(', ')}]}\n`
  );
}

export function token(name: string, owner: string, expires: string, grants: TeamSpec['grants']): string {
  const lines = grants.map(
    (g) =>
      `    - {role: ${g.role}, namespaces: ` +
      `[${(g.namespaces ?? []).join(', ')}]${g.clusters ? `, clusters: {names: [${g.clusters.join(', ')}]}` : ''}}`,
  );
  return (
    `apiVersion: roster/v1\nkind: AccessToken\nmetadata:\n  name: ${name}\nspec:\n  owner: ${owner}\n` +
    `  expires: ${expires}\n  grants:\n${lines.join('\n')}\n`
  );
}

/** Three clusters: prod-eu (SSO prefix "oidc:"), prod-us, staging-eu; under a folder of the repository if given. */
export function baseClusters(under?: string): Record<string, string> {
  const files = {
    'roster.yaml': settings(),
    'clusters/prod-eu.yaml': cluster('prod-eu', { env: 'prod', region: 'eu' }, 'oidc:'),
    'clusters/prod-us.yaml': cluster('prod-us', { env: 'prod', region: 'us' }),
    'clusters/staging-eu.yaml': cluster('staging-eu', { env: 'staging', region: 'eu' }),
  };
  return under === undefined ? files : Object.fromEntries(Object.entries(files).map(([k, v]) => [`${under}/${k}`, v]));
}

/** A Delegation of teams/payments.yaml to acme/payments-leads, in namespace payments, up to editor. */
export const PAYMENTS_DELEGATION = `apiVersion: roster/v1
kind: Delegation
metadata: {name: payments-self-service}
spec:
  paths: ["teams/payments.yaml"]
  owners: {groups: [acme/payments-leads]}
  namespaces: [payments]
  ceiling: [viewer, editor]
`;

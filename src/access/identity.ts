/**
 * Who a view or a `can-i` question is about, and how that identity looks to one cluster's API server: users and
 * groups written as in Git get the Cluster's `userPrefix` / `groupPrefix` (the OIDC prefixes, see docs/sso.md);
 * ServiceAccounts and tokens become `system:serviceaccount:<ns>:<name>` with the groups every ServiceAccount has.
 */

import type { Cluster } from '../model/types.js';
import { UsageError } from '../errors.js';
import { serviceAccountGroups, serviceAccountUser } from './evaluate.js';
import type { UserInfo } from '../resources/authorization.js';

/** As given on the command line. At most one of user / serviceAccount / token; any number of groups. */
export interface Identity {
  user?: string;
  groups: string[];
  /** "namespace/name" */
  serviceAccount?: string;
  /** An AccessToken's name: its ServiceAccount in the token namespace. */
  token?: string;
}

export type Prefixes = Pick<Cluster, 'userPrefix' | 'groupPrefix'>;

/** Names Kubernetes itself hands out (`system:…`) and names that already carry the prefix stay as they are. */
export function withPrefix(name: string, prefix: string): string {
  if (prefix === '' || name.startsWith('system:') || name.startsWith(prefix)) return name;
  return prefix + name;
}

/** The identity as one cluster's API server sees it. `tokenNamespace` resolves `--token`. */
export function userInfoFor(identity: Identity, prefixes: Prefixes, tokenNamespace: string): UserInfo {
  const groups = identity.groups.map((g) => withPrefix(g, prefixes.groupPrefix));
  const sa =
    identity.token !== undefined
      ? { namespace: tokenNamespace, name: identity.token }
      : parseServiceAccount(identity.serviceAccount);
  if (sa)
    return {
      user: serviceAccountUser(sa.namespace, sa.name),
      groups: unique([...serviceAccountGroups(sa.namespace), ...groups]),
    };
  if (identity.user === undefined) return { user: '', groups: unique(groups) };
  const user = withPrefix(identity.user, prefixes.userPrefix);
  const saUser = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  const implied = saUser ? serviceAccountGroups(saUser[1]!) : [];
  return { user, groups: unique([...implied, ...groups]) };
}

export function parseServiceAccount(ref: string | undefined): { namespace: string; name: string } | undefined {
  if (ref === undefined) return undefined;
  const [namespace, name, extra] = ref.split('/');
  if (!namespace || !name || extra !== undefined)
    throw new UsageError(`--serviceaccount ${ref}: expected NAMESPACE/NAME`);
  return { namespace, name };
}

export function checkIdentity(identity: Identity): void {
  const given = [identity.user, identity.serviceAccount, identity.token].filter((v) => v !== undefined).length;
  if (given > 1)
    throw new UsageError('give at most one of --user, --serviceaccount and --token (plus any number of --group)');
}

/** `User=alice@example.com Groups=payments-eng`, as vela prints its header. */
export function describeUser(info: UserInfo): string {
  const parts = [];
  if (info.user !== '') parts.push(`User=${info.user}`);
  if (info.groups.length > 0) parts.push(`Groups=${info.groups.join(',')}`);
  return parts.join(' ');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

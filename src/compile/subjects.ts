/** RBAC subjects for teams and tokens, with the cluster's SSO prefixes applied. */

import type { AccessToken, Cluster, Members, Settings } from '../model/types.js';
import type { Subject } from '../resources/types.js';
import { compareCodeUnits } from '../compare.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Key order follows Kubernetes' own (kind, apiGroup, name, namespace); ServiceAccounts carry no apiGroup. */
function user(name: string): Subject {
  return { kind: 'User', apiGroup: RBAC_GROUP, name };
}

function group(name: string): Subject {
  return { kind: 'Group', apiGroup: RBAC_GROUP, name };
}

export function serviceAccount(namespace: string, name: string): Subject {
  return { kind: 'ServiceAccount', name, namespace };
}

export function compareSubjects(a: Subject, b: Subject): number {
  return (
    compareCodeUnits(a.kind, b.kind) ||
    compareCodeUnits(a.namespace ?? '', b.namespace ?? '') ||
    compareCodeUnits(a.name, b.name)
  );
}

/** Sorted and de-duplicated. */
export function sortSubjects(subjects: Subject[]): Subject[] {
  const sorted = [...subjects].sort(compareSubjects);
  return sorted.filter((s, i) => i === 0 || compareSubjects(sorted[i - 1]!, s) !== 0);
}

export function teamSubjects(members: Members, cluster: Cluster): Subject[] {
  return sortSubjects([
    ...members.users.map((u) => user(cluster.userPrefix + u)),
    ...members.groups.map((g) => group(cluster.groupPrefix + g)),
    ...members.serviceAccounts.map(parseServiceAccount),
  ]);
}

/** "namespace/name", already validated. */
function parseServiceAccount(ref: string): Subject {
  const slash = ref.indexOf('/');
  return serviceAccount(ref.slice(0, slash), ref.slice(slash + 1));
}

/** A token is a ServiceAccount named after it in the token namespace. */
export function tokenSubjects(token: AccessToken, settings: Settings): Subject[] {
  return [serviceAccount(settings.tokenNamespace, token.name)];
}

/**
 * The identity a delegation's bindings are written as, per cluster: a ServiceAccount in the delegation namespace,
 * a ClusterRole allowing it to manage RoleBindings and to `bind` only the ceiling's ClusterRoles (resourceNames),
 * and one RoleBinding of that ClusterRole in each delegated namespace present on the cluster. Bound by RoleBindings,
 * the ClusterRole gives nothing outside those namespaces: the API server's escalation check ("Restrictions on role
 * binding creation or update") refuses any binding of another role, and any binding elsewhere, made as this
 * identity. Roster writes these objects itself; the delegated bindings are then written while impersonating it.
 */

import type { Cluster, Delegation, Settings } from '../model/types.js';
import { DELEGATE_LABEL } from '../resources/labels.js';
import { boundedName, roleObjectName } from '../resources/names.js';
import type { ManagedObject, ObjectMeta } from '../resources/types.js';
import { expandNamespaces, type NamespaceIndex } from './namespaces.js';
import { metadata, RBAC_V1, type ObjectContext } from './objects.js';
import { selectsCluster } from './select.js';
import { serviceAccount } from './subjects.js';
import type { Delegate } from './types.js';

/** Verbs on RoleBindings a delegation needs: create (POST), patch (server-side apply), get and delete (prune). */
const BINDING_VERBS = ['create', 'delete', 'get', 'patch'];

export function delegateName(delegation: string): string {
  return boundedName(['roster', 'delegation', delegation]);
}

/** The user name Kubernetes gives the delegation's ServiceAccount. */
export function delegateUser(settings: Settings, delegation: string): string {
  return `system:serviceaccount:${settings.delegationNamespace}:${delegation}`;
}

export interface DelegationPlan {
  delegates: Delegate[];
  objects: ManagedObject[];
}

export function planDelegations(
  delegations: readonly Delegation[],
  cluster: Cluster,
  namespaces: NamespaceIndex,
  ctx: ObjectContext,
): DelegationPlan {
  const active = delegations.filter((d) => selectsCluster(d.clusters, cluster));
  const plan: DelegationPlan = { delegates: [], objects: [] };
  if (active.length === 0) return plan;
  const home = ctx.settings.delegationNamespace;
  plan.objects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: metadata(ctx, { name: home, labels: {}, sources: active.map((d) => d.source.file) }),
  });
  for (const d of active) {
    // Offline, patterns stay unexpanded: only named namespaces get a binding then.
    const targets = expandNamespaces(d.namespaces, namespaces).namespaces;
    plan.delegates.push({ delegation: d.name, user: delegateUser(ctx.settings, d.name), namespaces: targets });
    plan.objects.push(...delegateObjects(d, targets, ctx));
  }
  return plan;
}

function delegateObjects(d: Delegation, targets: string[], ctx: ObjectContext): ManagedObject[] {
  const spec = { labels: { [DELEGATE_LABEL]: d.name }, sources: [d.source.file] };
  const home = ctx.settings.delegationNamespace;
  const name = delegateName(d.name);
  const namespaced = (namespace: string, objName: string) =>
    metadata(ctx, { ...spec, name: objName, namespace }) as ObjectMeta & { namespace: string };
  const ceiling = [...new Set(d.ceiling.map(roleObjectName))].sort();
  const objects: ManagedObject[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: namespaced(home, d.name) },
    {
      apiVersion: RBAC_V1,
      kind: 'ClusterRole',
      metadata: metadata(ctx, { ...spec, name }),
      rules: [
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: BINDING_VERBS },
        {
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ceiling,
          verbs: ['bind'],
        },
      ],
    },
  ];
  for (const namespace of targets) {
    objects.push({
      apiVersion: RBAC_V1,
      kind: 'RoleBinding',
      metadata: namespaced(namespace, name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [serviceAccount(home, d.name)],
    });
  }
  return objects;
}

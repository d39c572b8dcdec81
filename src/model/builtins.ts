/**
 * The built-in roles, as Roster-owned ClusterRoles with explicit rules (see docs/compile.md for why we do not
 * bind the bootstrap view / edit / admin roles: their rules are aggregated by kube-controller-manager, so they
 * cannot be known offline and differ between clusters).
 */

import type { PolicyRule, RoleScope } from './types.js';
import { type BuiltinRoleName, BUILTIN_ROLE_SCOPES } from './builtins-names.js';

export interface BuiltinRole {
  readonly scope: RoleScope;
  readonly rules: readonly PolicyRule[];
  readonly description: string;
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Everyday namespaced workload resources, by API group. Secrets are deliberately absent. */
const WORKLOADS: readonly { readonly apiGroups: readonly string[]; readonly resources: readonly string[] }[] = [
  {
    apiGroups: [''],
    resources: [
      'configmaps',
      'endpoints',
      'events',
      'limitranges',
      'persistentvolumeclaims',
      'pods',
      'replicationcontrollers',
      'resourcequotas',
      'serviceaccounts',
      'services',
    ],
  },
  { apiGroups: ['apps'], resources: ['*'] },
  { apiGroups: ['autoscaling'], resources: ['*'] },
  { apiGroups: ['batch'], resources: ['*'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
];

const VIEWER: readonly PolicyRule[] = [
  ...WORKLOADS.map((w) => ({ ...w, verbs: READ })),
  { apiGroups: [''], resources: ['pods/log'], verbs: READ },
];

const EDITOR: readonly PolicyRule[] = [
  ...VIEWER,
  ...WORKLOADS.map((w) => ({ ...w, verbs: WRITE })),
  { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward'], verbs: ['create', 'get'] },
];

const EVERYTHING: PolicyRule = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };

/** Cluster-wide reads added to viewer / editor by their cluster-scoped counterparts. */
const CLUSTER_READS: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces', 'nodes', 'persistentvolumes'], verbs: READ },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: READ },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: READ },
];

function builtin(name: BuiltinRoleName, rules: readonly PolicyRule[], description: string): BuiltinRole {
  return { scope: BUILTIN_ROLE_SCOPES[name], rules, description };
}

export const BUILTIN_ROLES: Readonly<Record<BuiltinRoleName, BuiltinRole>> = {
  viewer: builtin('viewer', VIEWER, 'Read workloads, services, config maps and events in a namespace; no secrets.'),
  editor: builtin('editor', EDITOR, 'Viewer plus change workloads and secrets, exec, attach and port-forward.'),
  owner: builtin('owner', [EVERYTHING], 'Everything inside the namespace, including its RBAC.'),
  'cluster-viewer': builtin(
    'cluster-viewer',
    [...VIEWER, ...CLUSTER_READS],
    'Viewer in every namespace, plus nodes, namespaces, storage and CRDs.',
  ),
  'cluster-editor': builtin(
    'cluster-editor',
    [...EDITOR, ...CLUSTER_READS],
    'Editor in every namespace, plus cluster-viewer reads.',
  ),
  'cluster-owner': builtin(
    'cluster-owner',
    [EVERYTHING, { nonResourceURLs: ['*'], verbs: ['*'] }],
    'Everything on the cluster (cluster-admin equivalent).',
  ),
};

export { BUILTIN_ROLE_NAMES, isBuiltinRole } from './builtins-names.js';

/**
 * The RESOURCE argument of `roster can-i`, in RBAC's own notation: `pods`, `pods/log`, `deployments.apps`,
 * `deployments.apps/scale`, or a non-resource URL such as `/healthz`. Offline there is no discovery, so a bare
 * resource name resolves through a table of the built-in resources; anything else must name its group.
 */

import { UsageError } from '../errors.js';
import type { RequestAttributes } from '../resources/authorization.js';

/** Built-in resources by API group, and whether they are cluster-scoped. */
const BUILTIN: Record<string, { group: string; clusterScoped?: true }> = {};
const NAMESPACED: Record<string, string[]> = {
  '': [
    'bindings',
    'configmaps',
    'endpoints',
    'events',
    'limitranges',
    'persistentvolumeclaims',
    'pods',
    'podtemplates',
    'replicationcontrollers',
    'resourcequotas',
    'secrets',
    'serviceaccounts',
    'services',
  ],
  apps: ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  autoscaling: ['horizontalpodautoscalers'],
  batch: ['cronjobs', 'jobs'],
  'coordination.k8s.io': ['leases'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  policy: ['poddisruptionbudgets'],
  'rbac.authorization.k8s.io': ['rolebindings', 'roles'],
};
const CLUSTER_SCOPED: Record<string, string[]> = {
  '': ['namespaces', 'nodes', 'persistentvolumes'],
  'apiextensions.k8s.io': ['customresourcedefinitions'],
  'rbac.authorization.k8s.io': ['clusterrolebindings', 'clusterroles'],
  'storage.k8s.io': ['storageclasses'],
  'networking.k8s.io': ['ingressclasses'],
  'certificates.k8s.io': ['certificatesigningrequests'],
};
for (const [group, names] of Object.entries(NAMESPACED)) for (const name of names) BUILTIN[name] = { group };
for (const [group, names] of Object.entries(CLUSTER_SCOPED))
  for (const name of names) BUILTIN[name] = { group, clusterScoped: true };

export interface RequestOptions {
  verb: string;
  resource: string;
  /** The namespace asked about; undefined means "default" for namespaced resources. */
  namespace?: string;
  /** Ask about every namespace at once (a cluster-wide request, like kubectl's -A). */
  allNamespaces?: boolean;
  /** A resourceName. */
  name?: string;
}

export function parseRequest(opts: RequestOptions): RequestAttributes {
  const verb = opts.verb.toLowerCase();
  if (opts.resource.startsWith('/')) return { verb, path: opts.resource };
  const slash = opts.resource.indexOf('/');
  const typed = slash < 0 ? opts.resource : opts.resource.slice(0, slash);
  const subresource = slash < 0 ? undefined : opts.resource.slice(slash + 1);
  if (typed === '' || subresource === '')
    throw new UsageError(`resource "${opts.resource}": expected RESOURCE[.GROUP][/SUBRESOURCE]`);
  const { resource, group, clusterScoped } = resolve(typed);
  const namespace = clusterScoped || opts.allNamespaces ? '' : (opts.namespace ?? 'default');
  return {
    verb,
    group,
    resource,
    namespace,
    ...(subresource !== undefined ? { subresource } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  };
}

function resolve(typed: string): { resource: string; group: string; clusterScoped: boolean } {
  const dot = typed.indexOf('.');
  if (dot >= 0) {
    const resource = typed.slice(0, dot);
    const group = typed.slice(dot + 1);
    const known = BUILTIN[resource];
    return { resource, group, clusterScoped: known?.group === group && known.clusterScoped === true };
  }
  if (typed === '*') return { resource: '*', group: '*', clusterScoped: false };
  const known = BUILTIN[typed.toLowerCase()];
  if (!known) {
    throw new UsageError(
      `resource "${typed}": not a built-in resource Roster knows offline; ` +
        `write it as RESOURCE.GROUP (e.g. widgets.example.com)`,
    );
  }
  return { resource: typed.toLowerCase(), group: known.group, clusterScoped: known.clusterScoped === true };
}

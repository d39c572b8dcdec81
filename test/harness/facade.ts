/**
 * The ControlPlane object tests use, built on a Backend that knows how to reach each cluster as each user.
 * The same facade serves local clusters and external ones, so tests cannot tell them apart (except for the
 * operations an external cluster cannot offer).
 */
import { waitForAccess } from './access.js';
import { readAuditEvents, waitForAuditFlush } from './audit.js';
import { UnknownNameError } from './errors.js';
import { apiRequest, type Endpoint } from './http.js';
import { runKubectl } from './kubectl.js';
import type { ControlPlane, TestCluster, TestUser } from './types.js';

export interface Backend {
  clusters: TestCluster[];
  users: TestUser[];
  kubeconfigPath: string;
  binDir: string;
  endpoint(cluster: string, user: TestUser): Endpoint;
  /** kubectl context and extra flags for acting as `user`. */
  kubectlTarget(cluster: string, user: TestUser): { context: string; extraArgs: string[] };
  /** Throws ExternalClusterUnsupportedError when there is no audit log to read. */
  auditLogPath(cluster: string): string;
  stop(): Promise<void>;
}

export function makeControlPlane(b: Backend): ControlPlane {
  const cluster = (name: string): TestCluster => {
    const found = b.clusters.find((c) => c.name === name);
    if (!found)
      throw new UnknownNameError(
        'cluster',
        name,
        b.clusters.map((c) => c.name),
      );
    return found;
  };
  const user = (name = 'admin'): TestUser => {
    const found = b.users.find((u) => u.short === name || u.name === name);
    if (!found)
      throw new UnknownNameError(
        'user',
        name,
        b.users.map((u) => u.short),
      );
    return found;
  };
  const request: ControlPlane['request'] = async (c, method, path, body, opts = {}) => {
    const { as, ...requestOpts } = opts;
    return apiRequest(b.endpoint(cluster(c).name, user(as)), method, path, body, requestOpts);
  };

  const auditEvents: ControlPlane['auditEvents'] = async (c, filter = {}) => {
    const path = b.auditLogPath(cluster(c).name);
    await waitForAuditFlush(path, (markerPath) => request(c, 'GET', markerPath));
    const resolveUser = (u: string): string => b.users.find((t) => t.short === u)?.name ?? u;
    return readAuditEvents(path, { ...filter, resolveUser });
  };

  let stopping: Promise<void> | undefined;
  return {
    clusters: b.clusters,
    kubeconfigPath: b.kubeconfigPath,
    users: b.users,
    binDir: b.binDir,
    cluster,
    request,
    kubectl: async (c, args, opts = {}) => {
      const target = b.kubectlTarget(cluster(c).name, user(opts.as));
      return runKubectl({
        binDir: b.binDir,
        kubeconfigPath: b.kubeconfigPath,
        context: target.context,
        args: [...target.extraArgs, ...args],
        input: opts.input,
      });
    },
    waitForAccess: async (q) => {
      const known = b.users.find((u) => u.short === q.user || u.name === q.user);
      const who = known
        ? { username: known.name, groups: q.groups ?? [...known.groups, 'system:authenticated'] }
        : { username: q.user, groups: q.groups ?? ['system:authenticated'] };
      return waitForAccess(q, who, (path, body) => request(cluster(q.cluster).name, 'POST', path, body));
    },
    auditEvents,
    auditLogPath: (c) => b.auditLogPath(cluster(c).name),
    stop: () => (stopping ??= b.stop()),
  };
}

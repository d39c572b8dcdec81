/**
 * `roster access`: who has what, as a tree per cluster (cluster → scope → role → bindings and rules), like
 * `vela auth list-privileges`. Desired (default) answers offline from Git; `--live` reads every binding on the
 * clusters, Roster's or not.
 */

import type { Command } from 'commander';
import { checkIdentity, describeUser, userInfoFor, type Identity } from '../../access/identity.js';
import { renderAccessView, type AccessView } from '../../access/render.js';
import { desiredSnapshots, liveSnapshots, type SnapshotResult } from '../../access/snapshots.js';
import { suspensionNotes } from '../../access/suspended.js';
import { clusterAccess, type AccessFilter, type ClusterAccess } from '../../access/tree.js';
import { checkKubeconfig, connect } from '../../cluster/index.js';
import { suspensionIndex } from '../../model/suspensions.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { Cluster, Model } from '../../model/types.js';
import { loadConfig, repeatable, withOutputOption, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';
import { selectClusters, type ClusterFlags } from '../../config/select.js';
import { withClusterOptions } from '../select.js';

interface AccessFlags extends RepoFlags, ClusterFlags {
  user?: string;
  group: string[];
  serviceaccount?: string;
  token?: string;
  namespace?: string;
  includeSystem?: boolean;
  live?: boolean;
  desired?: boolean;
  kubeconfig?: string;
  output: 'text' | 'json';
  rules: boolean;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('access')
    .description('show who has what: a tree per cluster of scopes, roles, bindings and rules')
    .option('--user <name>', "a user as written in Git (the cluster's userPrefix is added)")
    .option(
      '--group <name>',
      "a group; repeat it. With --user: the user's groups, which only the identity provider knows",
      repeatable,
      [],
    )
    .option('--serviceaccount <ns/name>', 'a ServiceAccount')
    .option('--token <name>', 'an AccessToken (its ServiceAccount in the token namespace)')
    .option('--namespace <name>', "everyone's access in one namespace, cluster-wide grants included")
    .option('--include-system', "with --namespace: also Kubernetes' own system: bindings")
    .option('--desired', 'answer from Git, offline (the default)')
    .option('--live', "read the clusters: every binding, Roster's or not (unmanaged ones are marked)")
    .option('--kubeconfig <file>', 'kubeconfig for --live (default: KUBECONFIG, then ~/.kube/config)')
    .option('--no-rules', 'leave out the policy rules of each role')
    .addHelpText('after', ACCESS_HELP);
  withOutputOption(withClusterOptions(withRepoOptions(cmd)), ['text', 'json']).action(async (flags: AccessFlags) => {
    const identity = identityOf(flags);
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    const clusters = selectClusters(model, flags);
    const view = await showAccess(model, clusters, identity, { ...flags, at });
    state.io.out(flags.output === 'json' ? accessJson(view) : renderAccessView(view));
    if (view.clusters.some((c) => c.error !== undefined)) state.exitCode = ExitCode.clusterFailed;
  });
}

export interface ShowAccessOptions {
  at: Date;
  live?: boolean;
  kubeconfig?: string;
  namespace?: string;
  includeSystem?: boolean;
  rules: boolean;
}

/** The access view `roster access` prints; `roster whoami` prints the same one for the identity it found. */
export async function showAccess(
  model: Model,
  clusters: Cluster[],
  identity: Identity | undefined,
  opts: ShowAccessOptions,
): Promise<AccessView> {
  // A namespace view compiles as if that namespace exists, so patterns expand exactly as apply would expand them.
  const assumed = opts.namespace !== undefined ? [opts.namespace] : undefined;
  if (opts.live) checkKubeconfig(opts.kubeconfig);
  const results = opts.live
    ? await liveSnapshots(model, clusters, (cluster) =>
        connect({
          cluster: cluster.name,
          context: cluster.context,
          ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
        }),
      )
    : desiredSnapshots(model, clusters, opts.at, assumed);
  const view = accessView(model, results, identity, opts);
  if (identity) view.notes = suspensionNotes(suspensionIndex(model, opts.at), identity, model.clusters);
  return view;
}

const ACCESS_HELP = `
Kubernetes does not know which groups a user is in (the identity provider says so at login), so
--user alone shows bindings naming the user; add --group for each group to see what reaches the
user through them, e.g. roster access --user alice@example.com --group payments-eng --live.
Offline, namespace patterns such as "payments-*" are shown as patterns.`;

function identityOf(flags: AccessFlags): Identity | undefined {
  const identity: Identity = { groups: flags.group };
  if (flags.user !== undefined) identity.user = flags.user;
  if (flags.serviceaccount !== undefined) identity.serviceAccount = flags.serviceaccount;
  if (flags.token !== undefined) identity.token = flags.token;
  checkIdentity(identity);
  if (flags.live && flags.desired) throw new UsageError('give either --desired or --live, not both');
  const any = identity.user ?? identity.serviceAccount ?? identity.token ?? identity.groups[0];
  if (any !== undefined && flags.namespace !== undefined)
    throw new UsageError('give either a subject (--user, --group, --serviceaccount, --token) or --namespace');
  if (any === undefined && flags.namespace === undefined)
    throw new UsageError('say whose access to show: --user, --group, --serviceaccount, --token or --namespace');
  return any === undefined ? undefined : identity;
}

function accessView(
  model: Model,
  results: SnapshotResult[],
  identity: Identity | undefined,
  flags: ShowAccessOptions,
): AccessView {
  const tokenNamespace = model.settings.tokenNamespace;
  if (identity?.token !== undefined && !model.tokens.some((t) => t.name === identity.token)) {
    throw new UsageError(`--token ${identity.token}: no AccessToken of that name in the config repository`);
  }
  const filterFor = (cluster: Cluster): AccessFilter =>
    identity
      ? { user: userInfoFor(identity, cluster, tokenNamespace) }
      : { namespace: flags.namespace!, includeSystem: flags.includeSystem === true };
  const clusters = results.map((r): ClusterAccess =>
    'error' in r
      ? { cluster: r.cluster.name, scopes: [], error: r.error.message }
      : clusterAccess(r.snapshot, filterFor(r.cluster)),
  );
  const header = identity
    ? describeUser(userInfoFor(identity, { userPrefix: '', groupPrefix: '' }, tokenNamespace))
    : `Namespace=${flags.namespace}`;
  return {
    header,
    view: identity ? 'subject' : 'namespace',
    source: flags.live ? 'live' : 'desired',
    clusters,
    rules: flags.rules,
  };
}

/** The `-o json` shape: stable, versioned. */
export function accessJson(view: AccessView, extra: Record<string, unknown> = {}): string {
  const { header, view: kind, source, clusters } = view;
  const notes = view.notes && view.notes.length > 0 ? { notes: view.notes } : {};
  return `${JSON.stringify({ version: 1, ...extra, source, view: kind, header, clusters, ...notes }, null, 2)}\n`;
}

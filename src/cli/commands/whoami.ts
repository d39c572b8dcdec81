/**
 * `roster whoami --kubeconfig FILE`: who a kubeconfig authenticates as, asked of the API server itself
 * (SelfSubjectReview), then the access tree `roster access` prints for that user and groups, desired or `--live`.
 * Like `vela auth list-privileges --kubeconfig FILE`. Works for certificates, tokens and admins alike.
 */

import type { Command } from 'commander';
import { describeUser, type Identity } from '../../access/identity.js';
import { renderAccessView } from '../../access/render.js';
import {
  ApiError,
  checkKubeconfig,
  connect,
  currentContext,
  isApiError,
  readClusterEntry,
  type SelfSubject,
} from '../../cluster/index.js';
import { ExitCode } from '../../errors.js';
import type { Cluster, Model } from '../../model/types.js';
import { loadConfig, withOutputOption, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';
import { selectClusters } from '../../config/select.js';
import { accessJson, showAccess } from './access.js';

interface WhoamiFlags extends RepoFlags {
  kubeconfig: string;
  context?: string;
  cluster?: string;
  live?: boolean;
  operatorKubeconfig?: string;
  rules: boolean;
  output: 'text' | 'json';
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('whoami')
    .description("who a kubeconfig authenticates as (the API server's own answer), then that identity's access tree")
    .requiredOption('--kubeconfig <file>', 'the kubeconfig to identify (a user certificate, a token, an admin)')
    .option('--context <name>', "its context to use (default: the file's current-context)")
    .option('--cluster <name>', "the declared cluster it points at (default: the one whose server matches the file's)")
    .option('--live', "read the clusters' bindings instead of Git (through the operator's kubeconfig)")
    .option(
      '--operator-kubeconfig <file>',
      'kubeconfig naming the clusters for --live (default: KUBECONFIG, then ~/.kube/config)',
    )
    .option('--no-rules', 'leave out the policy rules of each role');
  withOutputOption(withRepoOptions(cmd), ['text', 'json']).action(async (flags: WhoamiFlags) => {
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    // Both kubeconfigs are checked before any request: a file that is not one is exit 2, naming the file.
    if (flags.live) checkKubeconfig(flags.operatorKubeconfig);
    const context = flags.context ?? currentContext({ kubeconfig: flags.kubeconfig });
    const target = { cluster: context, context, kubeconfig: flags.kubeconfig };
    const entry = await readClusterEntry(target);
    const client = await connect(target);
    const self = await client
      .reviewSelf()
      .catch((err: unknown) => {
        if (!isApiError(err, 401)) throw err;
        throw new ApiError(
          err.data,
          `${entry.server} does not accept the credentials of kubeconfig ${flags.kubeconfig} (context ${context}): ` +
            'its certificate or token has expired, was invalidated (a suspended or removed AccessToken), ' +
            'or is for another cluster',
        );
      })
      .finally(() => client.close());
    const clusters = await clustersFor(model, entry.server, flags);
    const identity: Identity = { user: self.user, groups: self.groups };
    const view = await showAccess(model, clusters.list, identity, {
      at,
      live: flags.live === true,
      ...(flags.operatorKubeconfig ? { kubeconfig: flags.operatorKubeconfig } : {}),
      rules: flags.rules,
    });
    if (clusters.note) view.notes = [clusters.note, ...(view.notes ?? [])];
    if (flags.output === 'json') {
      state.io.out(
        accessJson(view, { whoami: { context, server: entry.server, user: self.user, groups: self.groups } }),
      );
    } else {
      state.io.out(`${whoamiLine(context, entry.server, self)}\n\n${renderAccessView(view)}`);
    }
    if (view.clusters.some((c) => c.error !== undefined)) state.exitCode = ExitCode.clusterFailed;
  });
}

function whoamiLine(context: string, server: string, self: SelfSubject): string {
  return (
    `${server} (context ${context}) authenticates this kubeconfig as ` +
    `${describeUser({ user: self.user, groups: self.groups })}`
  );
}

/** The declared cluster whose server the file names; every selected cluster when none matches. */
async function clustersFor(
  model: Model,
  server: string,
  flags: WhoamiFlags,
): Promise<{ list: Cluster[]; note?: string }> {
  if (flags.cluster !== undefined) return { list: selectClusters(model, { cluster: flags.cluster }) };
  for (const cluster of model.clusters) {
    const target = {
      cluster: cluster.name,
      context: cluster.context,
      ...(flags.operatorKubeconfig ? { kubeconfig: flags.operatorKubeconfig } : {}),
    };
    const known = await readClusterEntry(target).catch(() => undefined);
    if (known && sameServer(known.server, server)) return { list: [cluster] };
  }
  return {
    list: [...model.clusters],
    note: `no declared cluster's context points at ${server}; showing every cluster (pass --cluster NAME)`,
  };
}

function sameServer(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

/**
 * `roster can-i VERB RESOURCE --as SUBJECT`: would the cluster allow it? Offline, Roster evaluates RBAC over the
 * state compiled from Git; with `--live` the API server answers through a SubjectAccessReview. Prints `yes` or
 * `no` per cluster and exits 0 when every answer is yes, 1 otherwise, like `kubectl auth can-i`.
 */

import { suspensionNotes } from '../../access/suspended.js';
import { suspensionIndex } from '../../model/suspensions.js';
import type { Command } from 'commander';
import { authorize } from '../../access/evaluate.js';
import type { Decision } from '../../resources/authorization.js';
import { userInfoFor, type Identity } from '../../access/identity.js';
import { parseRequest } from '../../access/resources.js';
import { desiredSnapshots } from '../../access/snapshots.js';
import { isNonResource, type RequestAttributes } from '../../resources/authorization.js';
import { checkKubeconfig, connect } from '../../cluster/index.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { Cluster, Model } from '../../model/types.js';
import { loadConfig, repeatable, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';
import { selectClusters, type ClusterFlags } from '../../config/select.js';
import { withClusterOptions } from '../select.js';

interface CanIFlags extends RepoFlags, ClusterFlags {
  as?: string;
  asGroup: string[];
  namespace?: string;
  allNamespaces?: boolean;
  name?: string;
  live?: boolean;
  verbose?: boolean;
  kubeconfig?: string;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('can-i <verb> <resource>')
    .description('check whether a subject may do something: offline from Git, or --live by SubjectAccessReview')
    .option('--as <user>', "the user (as in Git; the cluster's userPrefix is added), or system:serviceaccount:NS:NAME")
    .option('--as-group <group>', 'a group the user is in; repeat it', repeatable, [])
    .option('-n, --namespace <ns>', 'the namespace (default: "default"; ignored for cluster-scoped resources)')
    .option('-A, --all-namespaces', 'ask about every namespace at once')
    .option('--name <name>', 'one object by name (for rules with resourceNames)')
    .option('--live', 'ask the API servers (SubjectAccessReview) instead of evaluating Git')
    .option('-v, --verbose', 'say which binding allowed it (on stderr)')
    .option('--kubeconfig <file>', 'kubeconfig for --live')
    .addHelpText('after', CAN_I_HELP);
  withClusterOptions(withRepoOptions(cmd)).action(async (verb: string, resource: string, flags: CanIFlags) => {
    if (flags.as === undefined && flags.asGroup.length === 0)
      throw new UsageError('say who is asking: --as USER and/or --as-group GROUP');
    const attrs = parseRequest({ verb, resource, allNamespaces: flags.allNamespaces === true, ...pick(flags) });
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    const clusters = selectClusters(model, flags);
    const answers = flags.live
      ? await liveAnswers(model, clusters, attrs, flags)
      : offlineAnswers(model, clusters, attrs, flags, at);
    for (const { cluster, decision } of answers) {
      const word = decision.allowed ? 'yes' : 'no';
      state.io.out(clusters.length === 1 ? `${word}\n` : `${cluster}: ${word}\n`);
      if (flags.verbose && decision.reason) state.io.err(`${cluster}: ${decision.reason}\n`);
    }
    // A "no" for a suspended subject should say why; a live "yes" before the next apply should say what is coming.
    for (const note of suspensionNotes(suspensionIndex(model, at), identityOf(flags), model.clusters))
      state.io.err(`note: ${note}\n`);
    state.exitCode = answers.every((a) => a.decision.allowed) ? ExitCode.ok : ExitCode.changes;
  });
}

const CAN_I_HELP = `
RESOURCE is written as in RBAC rules: pods, pods/log, deployments.apps, deployments.apps/scale,
or a non-resource URL such as /healthz. Built-in resources need no group; others take RESOURCE.GROUP.
Offline, a namespace pattern grant counts for every namespace it matches (assuming it exists).
Exit 0: yes on every selected cluster; 1: no somewhere.`;

function pick(flags: CanIFlags): { namespace?: string; name?: string } {
  return {
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
  };
}

/** Like a real request (and kubectl's --as), the identity is in system:authenticated besides its own groups. */
function identityOf(flags: CanIFlags): Identity {
  return { groups: [...flags.asGroup, 'system:authenticated'], ...(flags.as !== undefined ? { user: flags.as } : {}) };
}

interface Answer {
  cluster: string;
  decision: Decision;
}

function offlineAnswers(
  model: Model,
  clusters: Cluster[],
  attrs: RequestAttributes,
  flags: CanIFlags,
  at: Date,
): Answer[] {
  // Compile as if the asked namespace exists, so patterns expand against it exactly as apply would.
  const namespace = isNonResource(attrs) ? '' : attrs.namespace;
  const results = desiredSnapshots(model, clusters, at, namespace === '' ? [] : [namespace]);
  return results.map((r) => {
    if ('error' in r) throw r.error;
    const user = userInfoFor(identityOf(flags), r.cluster, model.settings.tokenNamespace);
    return { cluster: r.cluster.name, decision: authorize(r.snapshot, user, attrs) };
  });
}

async function liveAnswers(
  model: Model,
  clusters: Cluster[],
  attrs: RequestAttributes,
  flags: CanIFlags,
): Promise<Answer[]> {
  checkKubeconfig(flags.kubeconfig);
  return Promise.all(
    clusters.map(async (cluster) => {
      const client = await connect({
        cluster: cluster.name,
        context: cluster.context,
        ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
      });
      try {
        const user = userInfoFor(identityOf(flags), cluster, model.settings.tokenNamespace);
        return { cluster: cluster.name, decision: await client.reviewAccess(user, attrs) };
      } finally {
        client.close();
      }
    }),
  );
}

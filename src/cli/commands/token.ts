/**
 * `roster token kubeconfig NAME --cluster C`: a kubeconfig with a short-lived token for an AccessToken's
 * ServiceAccount, minted through the TokenRequest API. The token goes into a 0600 file (or stdout with `-o -`);
 * it never appears in any message.
 */

import { formatTime } from '../../time.js';
import type { Command } from 'commander';
import { connect, isApiError, readClusterEntry } from '../../cluster/index.js';
import { compile } from '../../compile/index.js';
import type { CompileResult } from '../../compile/types.js';
import { UsageError } from '../../errors.js';
import { suspensionIndex } from '../../model/suspensions.js';
import type { Cluster, Model } from '../../model/types.js';
import { TokenError } from '../../tokens/errors.js';
import { checkOutputFile, renderKubeconfig, writePrivateFile } from '../../tokens/kubeconfig.js';
import { checkGrantedExpiry, checkTokenOnCluster, findToken, tokenLifetime } from '../../tokens/lifetime.js';
import { parseDuration } from '../../time.js';
import { loadConfig, withRepoOptions, type RepoFlags } from '../common.js';
import type { Io, RunState } from '../io.js';
import { selectClusters } from '../../config/select.js';

export interface KubeconfigFlags extends RepoFlags {
  cluster: string;
  duration: string;
  output?: string;
  force?: boolean;
  kubeconfig?: string;
}

export function register(program: Command, state: RunState): void {
  const token = program.command('token').description('access tokens: kubeconfigs with short-lived credentials');
  const cmd = token
    .command('kubeconfig <name>')
    .description(
      "write a kubeconfig for an AccessToken on one cluster, with a token minted by the cluster's TokenRequest API",
    )
    .requiredOption('--cluster <name>', 'the declared cluster to mint the token on')
    .option('--duration <d>', "lifetime like 30m, 1h, 7d; never beyond the token's spec.expires; at least 10m", '1h')
    .option('-o, --output <file>', 'where to write it (mode 0600); "-" for stdout (default: NAME@CLUSTER.kubeconfig)')
    .option('--force', 'replace an existing output file')
    .option('--kubeconfig <file>', "the operator's kubeconfig: its context for the cluster mints the token")
    .addHelpText(
      'after',
      '\nThe ServiceAccount exists once `roster apply` has run. Exit 2 when Roster refuses (unknown,\n' +
        'expired, or no grant on that cluster).',
    );
  withRepoOptions(cmd).action(async (name: string, flags: KubeconfigFlags) => {
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    const seconds = durationSeconds(flags.duration);
    const file = flags.output ?? `${name}@${flags.cluster}.kubeconfig`;
    await checkOutput(file, flags.force === true, `${name}@${flags.cluster}.kubeconfig`);
    const text = await mintKubeconfig(model, name, flags, { seconds, at });
    const where = await saveOutput(state.io, file, text.kubeconfig, flags.force === true);
    state.io.err(
      `AccessToken/${name}: kubeconfig for cluster ${flags.cluster} written to ${where}; ` +
        `valid until ${formatTime(text.expires)}\n`,
    );
  });
}

export async function mintKubeconfig(
  model: Model,
  name: string,
  flags: KubeconfigFlags,
  opts: { seconds: number; at: Date },
): Promise<{ kubeconfig: string; expires: Date }> {
  const token = findToken(model, name, opts.at);
  const suspension = suspensionIndex(model, opts.at).of('AccessToken', name);
  if (suspension)
    throw new TokenError(
      'suspended',
      `AccessToken/${name}: suspended by Suspension ${suspension.name} (${suspension.reason}); ` +
        `no token is minted while it is in force`,
      { token: name, suspension: suspension.name },
    );
  const [cluster] = selectClusters(model, { cluster: flags.cluster }) as [Cluster];
  const result = compile(model, [{ name: cluster.name }], opts.at);
  const tokenNamespace = model.settings.tokenNamespace;
  checkTokenOnCluster(result, token, cluster.name, tokenNamespace);
  const lifetime = tokenLifetime(token, opts.seconds, opts.at);
  const target = {
    cluster: cluster.name,
    context: cluster.context,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
  };
  const entry = await readClusterEntry(target);
  const client = await connect(target);
  try {
    const issued = await client.requestToken({ namespace: tokenNamespace, name }, lifetime).catch((err: unknown) => {
      if (isApiError(err, 404))
        throw new TokenError(
          'not-on-cluster',
          `AccessToken/${name}: ServiceAccount ${tokenNamespace}/${name} not found on cluster ${cluster.name}; ` +
            `run \`roster apply\` first`,
          { token: name, cluster: cluster.name },
        );
      throw err;
    });
    const expires = checkGrantedExpiry(token, issued.expirationTimestamp, cluster.name);
    const namespace = defaultNamespace(result, name);
    const kubeconfig = renderKubeconfig({
      cluster: cluster.name,
      entry,
      token: name,
      secret: issued.token,
      expires,
      ...(namespace ? { namespace } : {}),
    });
    return { kubeconfig, expires };
  } finally {
    client.close();
  }
}

/** The first namespace the token is granted, so `kubectl get pods` works without -n. */
function defaultNamespace(result: CompileResult, token: string): string | undefined {
  const namespaces = result.clusters
    .flatMap((c) => c.access)
    .filter((e) => e.holder.kind === 'token' && e.holder.name === token && e.namespace);
  return namespaces.map((e) => e.namespace!).sort()[0];
}

export function durationSeconds(text: string): number {
  if (!/^[1-9][0-9]*[dhm]$/.test(text))
    throw new UsageError(`--duration ${text}: expected a number and a unit, like 30m, 1h or 7d`);
  return parseDuration(text);
}

/** `-o` is checked before anything is minted: a credential that cannot be saved would be issued for nothing. */
export async function checkOutput(file: string, overwrite: boolean, example: string): Promise<void> {
  if (file !== '-') await checkOutputFile(file, { overwrite, example });
}

/** The minted kubeconfig to stdout (`-o -`) or to `file` (mode 0600, atomically); says where, for the report. */
export async function saveOutput(io: Io, file: string, text: string, overwrite: boolean): Promise<string> {
  if (file === '-') {
    io.out(text);
    return 'stdout';
  }
  await writePrivateFile(file, text, { overwrite });
  return `${file} (mode 0600)`;
}

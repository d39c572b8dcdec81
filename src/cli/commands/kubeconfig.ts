/**
 * `roster kubeconfig --user NAME --cluster C`: a kubeconfig with a short-lived X.509 client certificate for a person
 * Git declares, like `vela auth gen-kubeconfig`: the key is made here, the CertificateSigningRequest (signer
 * kubernetes.io/kube-apiserver-client) is created, approved by Roster, awaited and deleted, and the file is written
 * 0600. `--token NAME` mints an AccessToken's kubeconfig instead (the revocable alternative).
 */

import type { Command } from 'commander';
import { connect, readClusterEntry, Secret } from '../../cluster/index.js';
import { compile } from '../../compile/index.js';
import { newKeyAndRequest } from '../../credentials/csr.js';
import { renderUserKubeconfig } from '../../credentials/kubeconfig.js';
import { planUserCertificate, type LifetimeLimit, type UserCertificatePlan } from '../../credentials/user.js';
import { checkIssued } from '../../credentials/verify.js';
import { UsageError } from '../../errors.js';
import type { Cluster, Model } from '../../model/types.js';
import { formatDuration, formatTime } from '../../time.js';
import { loadConfig, withRepoOptions, type RepoFlags } from '../common.js';
import type { Io, RunState } from '../io.js';
import { selectClusters } from '../../config/select.js';
import { checkOutput, durationSeconds, mintKubeconfig, saveOutput } from './token.js';

interface UserKubeconfigFlags extends RepoFlags {
  user?: string;
  token?: string;
  cluster: string;
  duration?: string;
  output?: string;
  force?: boolean;
  kubeconfig?: string;
  timeout: string;
}

export const NO_REVOCATION =
  'A certificate cannot be revoked before it expires (kubernetes/kubernetes#18982), ' +
  'which is why its lifetime is short.\n' +
  'To cut the user off sooner, suspend them in Git (kind: Suspension) and apply: their bindings go, so the\n' +
  'certificate still authenticates but may do nothing. For a credential that can be revoked, give the person an\n' +
  'AccessToken and use `roster kubeconfig --token NAME` (suspending or removing the token invalidates it).';

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('kubeconfig')
    .description(
      'write a kubeconfig for a person (X.509 client certificate) or an AccessToken (--token) on one cluster',
    )
    .option(
      '--user <name>',
      'a user as written in Team members.users; the certificate carries the groups Git gives them',
    )
    .option('--token <name>', 'an AccessToken instead: a short-lived token for its ServiceAccount (revocable)')
    .requiredOption('--cluster <name>', 'the declared cluster')
    .option(
      '--duration <d>',
      'lifetime like 30m, 8h; ' +
        'capped by Settings maxUserCertLifetime and the earliest grant expiry (default 8h; --token: 1h)',
    )
    .option('-o, --output <file>', 'where to write it (mode 0600); "-" for stdout (default: NAME@CLUSTER.kubeconfig)')
    .option('--force', 'replace an existing output file')
    .option(
      '--kubeconfig <file>',
      "the operator's kubeconfig: its context for the cluster creates and approves the request",
    )
    .option('--timeout <seconds>', 'how long to wait for the signer', '60')
    .addHelpText('after', `\nExit 2 when Git does not declare the user (no request is sent). ${NO_REVOCATION}`);
  withRepoOptions(cmd).action(async (flags: UserKubeconfigFlags) => {
    if ((flags.user === undefined) === (flags.token === undefined))
      throw new UsageError('give exactly one of --user NAME and --token NAME');
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    if (flags.token !== undefined) return tokenKubeconfig(model, flags.token, flags, state.io, at);
    const [cluster] = selectClusters(model, { cluster: flags.cluster }) as [Cluster];
    const requested = durationSeconds(flags.duration ?? '8h');
    const result = compile(model, [{ name: cluster.name }], at);
    const plan = planUserCertificate({
      model,
      cluster,
      user: flags.user!,
      access: result.clusters[0]!.access,
      requestedSeconds: requested,
      now: at,
    });
    const file = flags.output ?? `${flags.user}@${cluster.name}.kubeconfig`;
    await checkOutput(file, flags.force === true, `${flags.user}@${cluster.name}.kubeconfig`);
    const minted = await mintUserKubeconfig(model, cluster, plan, { ...flags, user: flags.user! });
    const where = await saveOutput(state.io, file, minted.text, flags.force === true);
    report(state.io, { user: flags.user!, cluster: cluster.name, where, plan, notAfter: minted.notAfter, model });
    if (minted.leftBehind)
      state.io.err(`warning: ${minted.leftBehind}; the controller manager's csrcleaner removes it within an hour\n`);
  });
}

async function mintUserKubeconfig(
  model: Model,
  cluster: Cluster,
  plan: UserCertificatePlan,
  flags: UserKubeconfigFlags & { user: string },
): Promise<{ text: string; notAfter: Date; leftBehind?: string }> {
  const target = {
    cluster: cluster.name,
    context: cluster.context,
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
  };
  const entry = await readClusterEntry(target);
  const { privateKeyPem, requestPem } = newKeyAndRequest(plan);
  const key = new Secret(privateKeyPem);
  const client = await connect(target);
  try {
    const issued = await client.signClientCertificate(
      {
        requestPem,
        expirationSeconds: plan.expirationSeconds,
        annotations: { 'roster.dev/user': flags.user, 'roster.dev/instance': model.settings.instance },
      },
      {
        timeoutMs: timeoutMs(flags.timeout),
        approvalMessage: `roster kubeconfig: ${flags.user} is declared in Git (instance ${model.settings.instance})`,
      },
    );
    const checked = checkIssued(issued.certificate, key, plan, { user: flags.user, cluster: cluster.name });
    const text = renderUserKubeconfig({
      cluster: cluster.name,
      entry,
      user: flags.user,
      certificatePem: issued.certificate,
      privateKeyPem: key,
      notAfter: checked.notAfter,
    });
    return { text, notAfter: checked.notAfter, ...(issued.leftBehind ? { leftBehind: issued.leftBehind } : {}) };
  } finally {
    client.close();
  }
}

const LIMITS: Record<LifetimeLimit, (m: Model) => string> = {
  duration: () => 'as asked (--duration)',
  maxUserCertLifetime: (m) =>
    `capped by Settings maxUserCertLifetime (${formatDuration(m.settings.maxUserCertLifetimeSeconds)})`,
  'grant-expiry': () => "capped by the user's earliest grant expiry, less a minute",
};

function report(
  io: Io,
  r: { user: string; cluster: string; where: string; plan: UserCertificatePlan; notAfter: Date; model: Model },
): void {
  const groups = r.plan.organizations.length > 0 ? r.plan.organizations.join(',') : '(none)';
  io.err(`User ${r.user}: kubeconfig for cluster ${r.cluster} written to ${r.where}\n`);
  io.err(
    `  certificate for user ${r.plan.commonName}, groups ${groups}; valid until ${formatTime(r.notAfter)}, ` +
      `${LIMITS[r.plan.limitedBy](r.model)}\n`,
  );
  io.err(`${NO_REVOCATION.replace(/^/gm, '  ')}\n`);
}

async function tokenKubeconfig(
  model: Model,
  name: string,
  flags: UserKubeconfigFlags,
  io: Io,
  at: Date,
): Promise<void> {
  const seconds = durationSeconds(flags.duration ?? '1h');
  const file = flags.output ?? `${name}@${flags.cluster}.kubeconfig`;
  await checkOutput(file, flags.force === true, `${name}@${flags.cluster}.kubeconfig`);
  const minted = await mintKubeconfig(model, name, { ...flags, duration: flags.duration ?? '1h' }, { seconds, at });
  const where = await saveOutput(io, file, minted.kubeconfig, flags.force === true);
  io.err(
    `AccessToken/${name}: kubeconfig for cluster ${flags.cluster} written to ${where}; ` +
      `valid until ${formatTime(minted.expires)}\n`,
  );
  io.err(
    '  Revocable: suspend the token (kind: Suspension, tokens: [NAME]) or remove it, then apply; ' +
      'its ServiceAccount is replaced.\n',
  );
}

function timeoutMs(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout ${text}: expected a positive number of seconds`);
  return n * 1000;
}

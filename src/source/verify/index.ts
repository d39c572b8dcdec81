/**
 * Signed-commit policy: the commit (or the annotated tag `ref` names) must carry a valid signature from a key in the
 * allowed signers, else the source stage throws and nothing downstream runs. OpenPGP and SSH signatures both work.
 */

import { readFile } from 'node:fs/promises';
import type { GitSource, SignedPayload } from '../../git/index.js';
import { sourceError, type SourceReason } from '../errors.js';
import type { VerifyOptions } from '../types.js';
import { outsideWindow, parseAllowedSigners, type AllowedSigners } from './allowed-signers.js';
import { readAllowedPgpKeys, verifyPgp } from './pgp.js';
import { fingerprint, parseSshSignature, verifySshSignature } from './sshsig.js';

type Verdict = { ok: true; signer: string } | { ok: false; reason: SourceReason; detail: string };

/** Git signs commits and tags in the "git" SSHSIG namespace. */
const GIT_NAMESPACE = 'git';
/** When several objects fail, the most telling reason is reported. */
const SEVERITY: SourceReason[] = [
  'bad-signature',
  'expired-signer',
  'unknown-signer',
  'unsupported-signature',
  'unsigned',
];

/** Returns who signed; throws SourceError (unsigned | unknown-signer | bad-signature | unsupported-signature). */
export async function verifyRef(git: GitSource, ref: string, commit: string, opts: VerifyOptions): Promise<string> {
  const signers = await loadAllowedSigners(opts.allowedSigners);
  const now = opts.now ?? new Date();
  const tag = await git.readTag(ref);
  const candidates = [
    ...(tag && tag.commit === commit ? [{ what: `tag ${tag.name}`, signed: tag.signed }] : []),
    { what: `commit ${commit.slice(0, 12)}`, signed: (await git.readCommit(commit)).signed },
  ];
  const verdicts: Verdict[] = [];
  for (const c of candidates) {
    const verdict = c.signed
      ? await check(c.signed, signers, now)
      : { ok: false as const, reason: 'unsigned' as const, detail: 'no signature' };
    if (verdict.ok) return `${verdict.signer} on ${c.what}`;
    verdicts.push({ ...verdict, detail: `${c.what}: ${verdict.detail}` });
  }
  const worst = verdicts.sort((a, b) => rank(a) - rank(b))[0] as Extract<Verdict, { ok: false }>;
  throw sourceError(
    worst.reason,
    `${git.label}@${ref}: refusing the commit: ${worst.detail} (signature verification is on)`,
    {
      data: { commit, ref, allowedSigners: opts.allowedSigners },
    },
  );
}

async function loadAllowedSigners(path: string): Promise<AllowedSigners> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw sourceError('allowed-signers', `${path}: cannot read the allowed signers file`, { cause });
  });
  const signers = parseAllowedSigners(text);
  if (signers.problems.length > 0) throw sourceError('allowed-signers', `${path}: ${signers.problems.join('; ')}`);
  if (signers.ssh.length === 0 && signers.pgp.length === 0)
    throw sourceError('allowed-signers', `${path}: lists no keys`);
  return signers;
}

async function check(signed: SignedPayload, signers: AllowedSigners, now: Date): Promise<Verdict> {
  try {
    if (signed.signature.includes('-----BEGIN SSH SIGNATURE-----')) return checkSsh(signed, signers, now);
    if (signed.signature.includes('-----BEGIN PGP SIGNATURE-----')) return await checkPgp(signed, signers);
    return {
      ok: false,
      reason: 'unsupported-signature',
      detail: 'signature is neither OpenPGP nor SSH (X.509 is not supported)',
    };
  } catch (err) {
    return { ok: false, reason: 'unsupported-signature', detail: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Like `ssh-keygen -Y verify -n git`: the key must be listed for the "git" namespace, and inside its validity
 * window at the time of verification (`now`), which is what ssh-keygen checks unless told another time.
 */
function checkSsh(signed: SignedPayload, signers: AllowedSigners, now: Date): Verdict {
  const sig = parseSshSignature(signed.signature);
  const print = fingerprint(sig.publicKey);
  const listed = signers.ssh.filter(
    (s) => s.key.equals(sig.publicKey) && (!s.namespaces || s.namespaces.includes(GIT_NAMESPACE)),
  );
  const signer = listed.find((s) => outsideWindow(s, now) === undefined);
  if (!signer && listed.length > 0)
    return {
      ok: false,
      reason: 'expired-signer',
      detail:
        `signed by SSH key ${print} (${listed[0]!.principals.join(',')}), ` +
        `which is ${outsideWindow(listed[0]!, now)}`,
    };
  if (!signer)
    return {
      ok: false,
      reason: 'unknown-signer',
      detail: `signed by SSH key ${print}, which is not an allowed signer`,
    };
  if (!verifySshSignature(sig, signed.payload, GIT_NAMESPACE))
    return { ok: false, reason: 'bad-signature', detail: `SSH signature by ${print} does not match the content` };
  return { ok: true, signer: `${signer.principals.join(',')} (${print})` };
}

async function checkPgp(signed: SignedPayload, signers: AllowedSigners): Promise<Verdict> {
  const verdict = await verifyPgp(signed.signature, signed.payload, await readAllowedPgpKeys(signers.pgp));
  if (verdict.kind === 'valid') return { ok: true, signer: verdict.signer };
  if (verdict.kind === 'unknown-signer')
    return {
      ok: false,
      reason: 'unknown-signer',
      detail: `signed by OpenPGP key ${verdict.keyIds.join(', ')}, which is not an allowed signer`,
    };
  return { ok: false, reason: 'bad-signature', detail: `OpenPGP signature does not verify: ${verdict.detail}` };
}

function rank(v: Verdict): number {
  return v.ok ? -1 : SEVERITY.indexOf(v.reason);
}

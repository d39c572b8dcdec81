/**
 * The allowed-signers list: ssh-keygen's `allowed_signers` format (`principals [options] keytype base64-key`, see
 * ssh-keygen(1) "ALLOWED SIGNERS"), plus armored OpenPGP public key blocks in the same file, so one list serves
 * both kinds of Git signature. `#` comments and blank lines are ignored. Certificate authorities are not supported.
 * As strict as ssh-keygen: `valid-after` / `valid-before` windows are kept and enforced (validity.ts), `namespaces`
 * restricts a key to those signature namespaces, and a line Roster cannot honour (an unknown option, a key type it
 * cannot verify, a malformed time) makes the whole file refused rather than silently trusted or ignored.
 */

import { formatTime } from '../../time.js';

export interface SshSigner {
  principals: string[];
  keyType: string;
  /** The public key blob (what `ssh-ed25519 AAAA…` encodes). */
  key: Buffer;
  /** `namespaces="git,file"`; undefined = any namespace. */
  namespaces?: string[];
  /** `valid-after=…`: the key is not trusted before this instant. */
  validAfter?: Date;
  /** `valid-before=…`: the key is not trusted from this instant on. */
  validBefore?: Date;
  line: number;
}

export interface AllowedSigners {
  ssh: SshSigner[];
  /** Armored `-----BEGIN PGP PUBLIC KEY BLOCK-----` blocks. */
  pgp: string[];
  /** Lines that could not be used, with why: reported, never silently trusted. */
  problems: string[];
}

const PGP_BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g;
/** What an allowed_signers key type looks like, supported or not (so an unsupported one gets a clear message). */
const KEY_TYPE = /^(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9-]+@openssh\.com|[a-z0-9-]+-cert-v01@openssh\.com)$/;
/** The key types sshsig.ts verifies. */
export const SUPPORTED_KEY_TYPES = ['ssh-ed25519', 'ssh-rsa'] as const;
/** The options of ssh-keygen's allowed_signers format that Roster honours. */
const OPTIONS = new Set(['namespaces', 'valid-after', 'valid-before', 'cert-authority']);

export function parseAllowedSigners(text: string): AllowedSigners {
  const pgp = text.match(PGP_BLOCK) ?? [];
  const rest = text.replace(PGP_BLOCK, (block) => block.replace(/[^\n]/g, ''));
  const result: AllowedSigners = { ssh: [], pgp, problems: [] };
  rest.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const signer = parseLine(line, i + 1);
    if (typeof signer === 'string') result.problems.push(`line ${i + 1}: ${signer}`);
    else result.ssh.push(signer);
  });
  return result;
}

function parseLine(line: string, lineNo: number): SshSigner | string {
  const tokens = tokenize(line);
  const principals = tokens.shift();
  if (!principals) return 'empty line';
  const options = tokens[0] !== undefined && !KEY_TYPE.test(tokens[0]) ? parseOptions(tokens.shift() ?? '') : {};
  const [keyType, base64] = tokens;
  if (!keyType || !KEY_TYPE.test(keyType) || !base64) return 'expected "principals [options] keytype base64-key"';
  if ('cert-authority' in options) return 'cert-authority lines are not supported';
  const unknown = Object.keys(options).filter((o) => !OPTIONS.has(o));
  if (unknown.length > 0)
    return `unknown option ${unknown.join(', ')} (Roster honours namespaces, valid-after, valid-before)`;
  if (!(SUPPORTED_KEY_TYPES as readonly string[]).includes(keyType))
    return (
      `key type ${keyType} is not supported: Roster verifies ${SUPPORTED_KEY_TYPES.join(' and ')} ` +
      `signatures; sign with one of those keys`
    );
  const key = Buffer.from(base64, 'base64');
  if (blobType(key) !== keyType)
    return `the key is not a ${keyType} key (its blob says ${blobType(key) ?? 'nothing readable'})`;
  const window: Pick<SshSigner, 'validAfter' | 'validBefore'> = {};
  for (const [option, field] of [
    ['valid-after', 'validAfter'],
    ['valid-before', 'validBefore'],
  ] as const) {
    if (options[option] === undefined) continue;
    const at = parseSshTime(options[option]);
    if (!at)
      return `${option}="${options[option]}" is not a time: ssh-keygen writes YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]`;
    window[field] = at;
  }
  const namespaces = options.namespaces?.split(',').map((s) => s.trim());
  return {
    principals: principals.split(','),
    keyType,
    key,
    line: lineNo,
    ...(namespaces ? { namespaces } : {}),
    ...window,
  };
}

/**
 * ssh-keygen's time format for valid-after / valid-before (ssh-keygen(1), "ALLOWED SIGNERS"): YYYYMMDD or
 * YYYYMMDDHHMM[SS], in the system's time zone unless suffixed with Z (UTC). Undefined when malformed.
 */
export function parseSshTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z?)$/i.exec(text.trim());
  if (!m) return undefined;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const date = m[7]
    ? new Date(Date.UTC(year, month - 1, day, hour, minute, second))
    : new Date(year, month - 1, day, hour, minute, second);
  const back = m[7]
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
  // 20261341 would roll over into another month: a typo, not a time.
  return back.join() === [year, month, day, hour, minute].join() && second < 60 ? date : undefined;
}

/** Why the signer is not trusted at `when`; undefined when it is. */
export function outsideWindow(signer: SshSigner, when: Date): string | undefined {
  if (signer.validAfter && when < signer.validAfter)
    return `not valid before ${formatTime(signer.validAfter)} (valid-after, allowed signers line ${signer.line})`;
  if (signer.validBefore && when >= signer.validBefore)
    return `expired at ${formatTime(signer.validBefore)} (valid-before, allowed signers line ${signer.line})`;
  return undefined;
}

/** The key type a public key blob names (its first SSH wire string), or undefined. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  return length <= blob.length - 4 && length < 64 ? blob.subarray(4, 4 + length).toString() : undefined;
}

/** Splits on spaces outside double quotes. */
function tokenize(line: string): string[] {
  return line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

function parseOptions(text: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const part of text.match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).toLowerCase();
    options[name] = eq === -1 ? '' : part.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return options;
}

/**
 * The allowed-signers list: ssh-keygen's `allowed_signers` format (`principals [options] keytype base64-key`, see
 * ssh-keygen(1) "ALLOWED SIGNERS"), plus armored OpenPGP public key blocks in the same file, so one list serves
 * both kinds of Git signature. `#` comments and blank lines are ignored. Certificate authorities are not supported.
 */

export interface SshSigner {
  principals: string[];
  keyType: string;
  /** The public key blob (what `ssh-ed25519 AAAA…` encodes). */
  key: Buffer;
  /** `namespaces="git,file"`; undefined = any namespace. */
  namespaces?: string[];
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
const KEY_TYPE =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$/;

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
  const namespaces = options.namespaces?.split(',').map((s) => s.trim());
  return {
    principals: principals.split(','),
    keyType,
    key: Buffer.from(base64, 'base64'),
    line: lineNo,
    ...(namespaces ? { namespaces } : {}),
  };
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

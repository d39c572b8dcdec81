/**
 * Who may trigger an immediate fetch: a push webhook signed the GitHub way (`X-Hub-Signature-256: sha256=<hex
 * HMAC of the body>`) or carrying the GitLab shared token (`X-Gitlab-Token`). Every comparison is constant-time,
 * and neither the secret nor what the caller sent ever appears in a result, message or log line.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { RosterError, ExitCode } from '../errors.js';

export const WebhookVerdict = {
  accepted: 'accepted',
  /** Neither header is present. */
  unsigned: 'unsigned',
  /** A header is present but does not match the secret. */
  badSignature: 'bad-signature',
  /** A header is present but not in the expected form (e.g. not `sha256=` and 64 hex digits). */
  malformed: 'malformed',
} as const;
export type WebhookVerdict = (typeof WebhookVerdict)[keyof typeof WebhookVerdict];

export interface WebhookCheck {
  verdict: WebhookVerdict;
  /** Which convention the request used, for the log line. */
  style?: 'github' | 'gitlab';
}

/** Request headers as Node gives them (lower-case names). */
export type Headers = Record<string, string | string[] | undefined>;

export function verifyWebhook(headers: Headers, body: Buffer, secret: string): WebhookCheck {
  const github = single(headers['x-hub-signature-256']);
  if (github !== undefined) return { style: 'github', verdict: checkGithub(github, body, secret) };
  const gitlab = single(headers['x-gitlab-token']);
  if (gitlab !== undefined) return { style: 'gitlab', verdict: checkGitlab(gitlab, secret) };
  return { verdict: WebhookVerdict.unsigned };
}

/** The header GitHub sends for `body` signed with `secret`; tests and senders use it. */
export function githubSignature(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function checkGithub(header: string, body: Buffer, secret: string): WebhookVerdict {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return WebhookVerdict.malformed;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return timingSafeEqual(expected, given) ? WebhookVerdict.accepted : WebhookVerdict.badSignature;
}

/**
 * GitLab sends the secret itself. Both sides are hashed first so the compared buffers always have the same
 * length: timingSafeEqual throws on different lengths, and an early length check would leak the secret's length.
 */
function checkGitlab(header: string, secret: string): WebhookVerdict {
  const expected = createHmac('sha256', 'roster-gitlab').update(secret).digest();
  const given = createHmac('sha256', 'roster-gitlab').update(header).digest();
  return timingSafeEqual(expected, given) ? WebhookVerdict.accepted : WebhookVerdict.badSignature;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The env var named by --webhook-secret-env is unset or empty: refuse to start rather than accept anyone. */
export class WebhookSecretError extends RosterError {
  constructor(variable: string) {
    super(
      'WebhookSecretError',
      `webhook: environment variable ${variable} is empty or unset; set it to the webhook secret`,
      {
        data: { variable },
        exitCode: ExitCode.usage,
      },
    );
  }
}

export function webhookSecretFrom(variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const secret = env[variable];
  if (!secret) throw new WebhookSecretError(variable);
  return secret;
}

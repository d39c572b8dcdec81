/**
 * How long a minted token may live: what the user asked for, never past the AccessToken's `expires`, and at least
 * the TokenRequest API's minimum of ten minutes. Pure; the checks run before and after the one request.
 */

import { formatTime } from '../time.js';
import type { CompileResult } from '../compile/types.js';
import type { AccessToken, Model } from '../model/types.js';
import { TokenError } from './errors.js';

/** The TokenRequest API refuses shorter lifetimes. */
export const MIN_TOKEN_SECONDS = 600;
/** Room for clock skew between this machine and the API server, taken off the time left before `expires`. */
export const SKEW_SECONDS = 60;

export function findToken(model: Model, name: string, now: Date): AccessToken {
  const token = model.tokens.find((t) => t.name === name);
  if (!token) {
    const known = model.tokens.map((t) => t.name).join(', ') || 'none';
    throw new TokenError('unknown', `AccessToken/${name}: not declared in the config repository (declared: ${known})`, {
      token: name,
    });
  }
  if (token.expires.getTime() <= now.getTime()) {
    throw new TokenError(
      'expired',
      `AccessToken/${name}: expired at ${formatTime(token.expires)}; ` +
        `extend spec.expires in ${token.source.file} to mint again`,
      { token: name },
    );
  }
  return token;
}

/** The token must hold an active grant on the cluster, which is exactly when its ServiceAccount compiles there. */
export function checkTokenOnCluster(
  result: CompileResult,
  token: AccessToken,
  cluster: string,
  tokenNamespace: string,
): void {
  const state = result.clusters.find((c) => c.cluster === cluster);
  const present = state?.objects.some(
    (o) => o.kind === 'ServiceAccount' && o.metadata.namespace === tokenNamespace && o.metadata.name === token.name,
  );
  if (!present) {
    throw new TokenError(
      'not-on-cluster',
      `AccessToken/${token.name}: has no active grant on cluster ${cluster}, so it has no ServiceAccount there`,
      {
        token: token.name,
        cluster,
      },
    );
  }
}

/** Seconds to ask the TokenRequest API for. */
export function tokenLifetime(token: AccessToken, requestedSeconds: number, now: Date): number {
  const left = Math.floor((token.expires.getTime() - now.getTime()) / 1000) - SKEW_SECONDS;
  const seconds = Math.min(requestedSeconds, left);
  if (seconds < MIN_TOKEN_SECONDS) {
    const why =
      requestedSeconds < MIN_TOKEN_SECONDS
        ? `--duration must be at least ${MIN_TOKEN_SECONDS / 60}m`
        : `it expires at ${formatTime(token.expires)}, too soon to mint a ${MIN_TOKEN_SECONDS / 60}-minute token`;
    throw new TokenError('too-short', `AccessToken/${token.name}: cannot mint a token: ${why}`, { token: token.name });
  }
  return seconds;
}

/** The server decides the final expiry; one beyond the AccessToken's own is never handed out. */
export function checkGrantedExpiry(token: AccessToken, granted: string, cluster: string): Date {
  const at = new Date(granted);
  if (Number.isNaN(at.getTime()) || at.getTime() > token.expires.getTime()) {
    throw new TokenError(
      'beyond-expiry',
      `AccessToken/${token.name}: cluster ${cluster} granted a token until ${granted}, ` +
        `past the token's expiry ${formatTime(token.expires)}; nothing was written`,
      { token: token.name, cluster, granted },
    );
  }
  return at;
}

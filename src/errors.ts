/**
 * Roster's typed errors. Every error has a stable `code` (also its `name`), a `data` payload for machines,
 * and an optional `cause`. Messages name the object first, then what went wrong, then the cause.
 */

export const ExitCode = {
  ok: 0,
  changes: 1,
  invalidConfig: 2,
  clusterFailed: 3,
  /** The command line was wrong. Bad input like an invalid config: exit 2, and nothing was changed anywhere. */
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class RosterError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;
  readonly exitCode: ExitCode;

  constructor(
    code: string,
    message: string,
    opts: { data?: Record<string, unknown>; cause?: unknown; exitCode?: ExitCode } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.name = code;
    this.data = opts.data ?? {};
    this.exitCode = opts.exitCode ?? ExitCode.invalidConfig;
  }
}

/** The config repository is invalid; `diagnostics` holds every problem found. Exit 2. */
export class InvalidConfigError extends RosterError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('InvalidConfigError', message, { data, exitCode: ExitCode.invalidConfig });
  }
}

/** The command line was wrong (unknown flag, bad value, unknown name). Exit 2, like any bad input. */
export class UsageError extends RosterError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('UsageError', message, { data, exitCode: ExitCode.usage });
  }
}

/** A cluster could not be read or written (unreachable, forbidden, timeout). Exit 3. */
export class ClusterError extends RosterError {
  constructor(cluster: string, message: string, opts: { cause?: unknown; data?: Record<string, unknown> } = {}) {
    super('ClusterError', `cluster ${cluster}: ${message}`, {
      ...opts,
      data: { cluster, ...opts.data },
      exitCode: ExitCode.clusterFailed,
    });
  }
}

/** Roster itself is broken or badly installed (a schema file missing or not compiling): a bug to report. Exit 3. */
export class InternalError extends RosterError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('InternalError', message, { data, exitCode: ExitCode.clusterFailed });
  }
}

/** Git could not give Roster the commit it asked for, or the commit failed verification. Exit 2. */
export class SourceError extends RosterError {
  constructor(message: string, opts: { cause?: unknown; data?: Record<string, unknown> } = {}) {
    super('SourceError', message, { ...opts, exitCode: ExitCode.invalidConfig });
  }
}

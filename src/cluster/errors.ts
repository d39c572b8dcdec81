/** What a failed request to a cluster tells the caller: HTTP status, Kubernetes reason, and the object it was about. */

import { ExitCode, RosterError } from '../errors.js';

export interface ApiErrorData {
  cluster: string;
  /** HTTP status; 0 when no response came back (refused, reset, timed out). */
  status: number;
  /** Kubernetes' `Status.reason` (Forbidden, Conflict, Invalid, …) or the network error code. */
  reason: string;
  verb: string;
  /** `Kind/namespace/name`, or the collection for a LIST. */
  ref: string;
  /** A write that may have happened although it failed (timeout or reset after sending, 5xx without Retry-After). */
  ambiguous?: boolean;
}

/**
 * A request the API server refused or never answered. The message names the object first, then what went wrong,
 * then the server's own words: `RoleBinding/payments/x: patch failed: Forbidden: …`. Never carries request headers.
 */
export class ApiError extends RosterError {
  declare readonly data: ApiErrorData & Record<string, unknown>;

  constructor(data: ApiErrorData, detail: string, cause?: unknown) {
    const message = `${data.ref}: ${data.verb} failed: ${data.reason}: ${detail}`;
    super('ApiError', message, { data: { ...data }, cause, exitCode: ExitCode.clusterFailed });
  }

  get status(): number {
    return this.data.status;
  }

  get reason(): string {
    return this.data.reason;
  }

  /** The message without the leading `Kind/namespace/name: `, for reports that print the ref already. */
  get detail(): string {
    const prefix = `${this.data.ref}: `;
    return this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message;
  }

  /** A write that may have happened: read the object back to know (src/reconcile/writes.ts). */
  get ambiguous(): boolean {
    return this.data.ambiguous === true;
  }

  /** No answer from the API server: the cluster, not the object, is the problem. */
  get unreachable(): boolean {
    return this.data.status === 0;
  }
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

/** A protobuf response Roster cannot read (truncated, or not the Kubernetes message it asked for). Exit 3. */
export class ProtobufError extends RosterError {
  constructor(detail: string) {
    super('ProtobufError', `protobuf: ${detail}`, { exitCode: ExitCode.clusterFailed });
  }
}

/**
 * The kubeconfig a command was given cannot be used: missing, a directory, not a kubeconfig, or without the context
 * asked for. The message names the file and what is wrong, never what the file holds. Exit 2: the input is wrong,
 * no cluster was contacted.
 */
export class KubeconfigError extends RosterError {
  constructor(file: string, problem: string, opts: { context?: string; hint?: string } = {}) {
    const message = `kubeconfig ${file}: ${problem}${opts.hint ? `; ${opts.hint}` : ''}`;
    const data = { file, ...(opts.context !== undefined ? { context: opts.context } : {}) };
    super('KubeconfigError', message, { data, exitCode: ExitCode.invalidConfig });
  }
}

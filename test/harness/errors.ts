/**
 * Typed errors of the test control plane. Same shape as Roster's own errors (`code` equals `name`, a `data`
 * payload, an optional `cause`), so a failing test says which part of the harness broke and why.
 * Messages never carry tokens, keys or kubeconfig contents.
 */

export class HarnessError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;

  constructor(code: string, message: string, opts: { data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.name = code;
    this.data = opts.data ?? {};
  }
}

/** build.sh failed or did not produce the three binaries. */
export class BinaryBuildError extends HarnessError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('BinaryBuildError', message, { data });
  }
}

/** An etcd or kube-apiserver did not become ready; the message holds the tail of every component log. */
export class ControlPlaneStartError extends HarnessError {
  constructor(cluster: string, message: string, opts: { data?: Record<string, unknown>; cause?: unknown } = {}) {
    super('ControlPlaneStartError', `cluster ${cluster}: ${message}`, { ...opts, data: { cluster, ...opts.data } });
  }
}

/** A request to an apiserver failed below HTTP (refused, reset, timed out). */
export class ApiRequestError extends HarnessError {
  constructor(cluster: string, what: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('ApiRequestError', `cluster ${cluster}: ${what} failed: ${reason}`, { data: { cluster, what }, cause });
  }
}

/** waitForAccess timed out; `data.last` is the last SubjectAccessReview status seen. */
export class AccessTimeoutError extends HarnessError {
  constructor(message: string, data: Record<string, unknown>) {
    super('AccessTimeoutError', message, { data });
  }
}

/** Stop/start and audit logs only exist for clusters this harness started itself. */
export class ExternalClusterUnsupportedError extends HarnessError {
  constructor(cluster: string, operation: string) {
    super(
      'ExternalClusterUnsupportedError',
      `cluster ${cluster}: ${operation} is not supported against external clusters (ROSTER_TEST_KUBECONFIG)`,
      {
        data: { cluster, operation },
      },
    );
  }
}

/** A cluster or user name that this control plane does not have. */
export class UnknownNameError extends HarnessError {
  constructor(kind: 'cluster' | 'user', name: string, known: string[]) {
    super('UnknownNameError', `${kind} ${name}: not part of this control plane (known: ${known.join(', ')})`, {
      data: { kind, name, known },
    });
  }
}

/** ROSTER_TEST_KUBECONFIG names something the harness cannot use. */
export class ExternalConfigError extends HarnessError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('ExternalConfigError', message, { data });
  }
}

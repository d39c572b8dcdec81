/**
 * What `roster kubeconfig --user` and `roster whoami` ask a cluster: a CertificateSigningRequest created, approved,
 * read until signed, and deleted; and a SelfSubjectReview (who does this credential authenticate as). The request
 * holds only public data (subject and public key); the issued certificate is wrapped in a `Secret` all the same, so
 * no message or log can show it.
 */

import { randomBytes } from 'node:crypto';
import { ApiError, isApiError } from './errors.js';
import type { Requester } from './requester.js';
import { Secret } from './secret.js';
import type { CertificateRequest, IssuedCertificate, SelfSubject, SignOptions } from './types.js';

const CSR_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
export const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

/**
 * Create, approve, wait, delete: the CSR never outlives the call if the cluster lets Roster delete it. A failed
 * delete does not hide the first error, nor fail a certificate that was issued (the request holds only public data,
 * and the controller manager's csrcleaner removes issued requests after an hour): it is reported in `leftBehind`.
 */
export async function signClientCertificate(
  http: Requester,
  cluster: string,
  req: CertificateRequest,
  opts: SignOptions,
): Promise<IssuedCertificate> {
  const name = `roster-user-${randomBytes(8).toString('hex')}`;
  const ref = `CertificateSigningRequest/${name}`;
  const created = await createRequest(http, name, req);
  let certificate: Secret | undefined;
  let failure: unknown;
  try {
    await approve(http, created, opts.approvalMessage, ref);
    certificate = await waitForCertificate(http, cluster, name, opts);
  } catch (err) {
    failure = err;
  }
  const leftBehind = await http.call({ verb: 'delete', ref }, { method: 'DELETE', path: `${CSR_PATH}/${name}` }).then(
    () => undefined,
    (err: unknown) => (isApiError(err, 404) ? undefined : `${ref} was not deleted: ${(err as Error).message}`),
  );
  if (failure !== undefined || certificate === undefined) throw failure;
  return leftBehind ? { certificate, leftBehind } : { certificate };
}

interface CsrObject {
  metadata: { name: string; resourceVersion?: string };
  spec: Record<string, unknown> & { request?: string };
  status?: {
    certificate?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

async function createRequest(http: Requester, name: string, req: CertificateRequest): Promise<CsrObject> {
  const request = Buffer.from(req.requestPem).toString('base64');
  const body = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name, annotations: req.annotations, labels: { 'app.kubernetes.io/managed-by': 'roster' } },
    spec: {
      request,
      signerName: CLIENT_SIGNER,
      expirationSeconds: req.expirationSeconds,
      usages: ['client auth', 'digital signature'],
    },
  };
  const ref = `CertificateSigningRequest/${name}`;
  try {
    const res = await http.call({ verb: 'create', ref }, { method: 'POST', path: CSR_PATH, body });
    return JSON.parse(res.body) as CsrObject;
  } catch (err) {
    // A retried create whose first attempt went through: the name is random, so the object is ours if it holds
    // our request. Read it back and go on.
    if (!isApiError(err, 409)) throw err;
    const res = await http.call({ verb: 'get', ref }, { method: 'GET', path: `${CSR_PATH}/${name}` });
    const existing = JSON.parse(res.body) as CsrObject;
    if (existing.spec.request !== request) throw err;
    return existing;
  }
}

async function approve(http: Requester, csr: CsrObject, message: string, ref: string): Promise<void> {
  const body = {
    ...csr,
    status: {
      ...csr.status,
      conditions: [{ type: 'Approved', status: 'True', reason: 'RosterApproved', message }],
    },
  };
  const path = `${CSR_PATH}/${csr.metadata.name}/approval`;
  await http.call({ verb: 'update', ref: `${ref}/approval` }, { method: 'PUT', path, body });
}

async function waitForCertificate(http: Requester, cluster: string, name: string, opts: SignOptions): Promise<Secret> {
  const ref = `CertificateSigningRequest/${name}`;
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const res = await http.call({ verb: 'get', ref }, { method: 'GET', path: `${CSR_PATH}/${name}` });
    const status = (JSON.parse(res.body) as CsrObject).status ?? {};
    if (status.certificate) return new Secret(Buffer.from(status.certificate, 'base64').toString());
    const failed = status.conditions?.find((c) => (c.type === 'Failed' || c.type === 'Denied') && c.status === 'True');
    if (failed) {
      const data = { cluster, status: 200, reason: failed.reason ?? failed.type, verb: 'get', ref };
      throw new ApiError(
        data,
        `the signer ${failed.type === 'Denied' ? 'denied' : 'failed'} it: ${failed.message ?? ''}`,
      );
    }
    if (Date.now() >= deadline) {
      const data = { cluster, status: 0, reason: 'Timeout', verb: 'get', ref };
      throw new ApiError(
        data,
        `approved but not signed after ${opts.timeoutMs / 1000} s: is a signer for ${CLIENT_SIGNER} running ` +
          `(kube-controller-manager with --cluster-signing-cert-file)?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 250));
  }
}

/** SelfSubjectReview (authentication.k8s.io/v1, Kubernetes 1.28+): who the API server says the caller is. */
export async function reviewSelf(http: Requester): Promise<SelfSubject> {
  const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };
  const path = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
  const res = await http.call({ verb: 'create', ref: 'SelfSubjectReview' }, { method: 'POST', path, body });
  type UserInfo = { username?: string; uid?: string; groups?: string[] };
  const info = (JSON.parse(res.body) as { status?: { userInfo?: UserInfo } }).status?.userInfo ?? {};
  const out: SelfSubject = { user: info.username ?? '', groups: info.groups ?? [] };
  if (info.uid) out.uid = info.uid;
  return out;
}

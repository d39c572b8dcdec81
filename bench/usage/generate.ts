/**
 * A synthetic kube-apiserver audit log for examples/acme's prod-eu: audit.k8s.io/v1 Events at Metadata level, as
 * the API server writes them, from the example's members, its access tokens,
 * control-plane components and strangers; reads and writes, some denied, over many namespaces and object names.
 * Deterministic (a seeded generator), written in chunks so generating 1 GB needs no memory to speak of.
 */

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { formatMicroTime } from '../../src/time.js';

interface Who {
  user: string;
  groups: string[];
}

const PEOPLE: Who[] = [
  { user: 'alice@example.com', groups: ['payments-eng'] },
  { user: 'dave@example.com', groups: ['payments-eng'] },
  { user: 'erin@example.com', groups: ['checkout-eng'] },
  { user: 'grace@example.com', groups: ['platform-eng'] },
  { user: 'heidi@example.com', groups: ['security'] },
  { user: 'mallory@example.com', groups: [] },
  { user: 'system:serviceaccount:roster-tokens:ci-deployer', groups: ['system:serviceaccounts'] },
  { user: 'system:serviceaccount:roster-tokens:metrics-exporter', groups: ['system:serviceaccounts'] },
  { user: 'system:kube-controller-manager', groups: [] },
  { user: 'system:kube-scheduler', groups: [] },
];
const NAMESPACES = ['payments', 'payments-api', 'payments-batch', 'checkout', 'data-lake', 'monitoring', 'platform-x'];
const RESOURCES: Array<[group: string, resource: string, sub?: string]> = [
  ['', 'pods'],
  ['', 'pods', 'log'],
  ['', 'configmaps'],
  ['', 'secrets'],
  ['', 'services'],
  ['apps', 'deployments'],
  ['apps', 'deployments', 'scale'],
  ['batch', 'jobs'],
];
const VERBS = ['get', 'list', 'watch', 'get', 'get', 'list', 'patch', 'update', 'create', 'delete'];

/** mulberry32: small, fast, seeded. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function auditLine(rand: () => number, n: number, start: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const who = pick(PEOPLE);
  const [group, resource, sub] = pick(RESOURCES);
  const namespace = pick(NAMESPACES);
  const verb = pick(VERBS);
  const name =
    verb === 'list' || verb === 'create' || verb === 'watch' ? undefined : `obj-${Math.floor(rand() * 5000)}`;
  const denied = rand() < 0.05;
  const at = formatMicroTime(new Date(start + n * 50));
  const api = group === '' ? 'api/v1' : `apis/${group}/v1`;
  const path = `/${api}/namespaces/${namespace}/${resource}${name ? `/${name}` : ''}${sub ? `/${sub}` : ''}`;
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: path,
    verb,
    user: { username: who.user, uid: `uid-${who.user.length}`, groups: [...who.groups, 'system:authenticated'] },
    sourceIPs: ['10.0.12.34'],
    userAgent: 'kubectl/v1.36.4 (linux/amd64) kubernetes/abcdef0',
    objectRef: {
      resource,
      namespace,
      ...(name ? { name } : {}),
      ...(group ? { apiGroup: group } : {}),
      apiVersion: 'v1',
      ...(sub ? { subresource: sub } : {}),
    },
    responseStatus: { metadata: {}, code: denied ? 403 : 200 },
    requestReceivedTimestamp: at,
    stageTimestamp: at,
    annotations: {
      'authorization.k8s.io/decision': denied ? 'forbid' : 'allow',
      'authorization.k8s.io/reason': denied ? '' : 'RBAC: allowed by RoleBinding',
    },
  });
}

/** Writes lines until the file holds at least `bytes`; returns the line count. */
export async function generateLog(file: string, bytes: number, seed = 15): Promise<{ lines: number; bytes: number }> {
  const out = createWriteStream(file);
  const rand = random(seed);
  const start = Date.parse('2026-09-01T00:00:00Z');
  let written = 0;
  let lines = 0;
  while (written < bytes) {
    const chunk: string[] = [];
    for (let i = 0; i < 2000; i++) chunk.push(auditLine(rand, lines++, start));
    const text = `${chunk.join('\n')}\n`;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { lines, bytes: written };
}

/**
 * The apiserver's audit log, so tests can count what Roster really sent ("no write when nothing drifted").
 * Every request is logged at Metadata level (no bodies, so no secrets); RequestReceived is omitted, so each
 * request appears once, as its ResponseComplete event (long-running watches also get a ResponseStarted one).
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { pollUntil } from './poll.js';

export interface AuditEvent {
  auditID: string;
  stage: 'ResponseStarted' | 'ResponseComplete' | 'Panic';
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  impersonatedUser?: { username: string; groups?: string[] };
  userAgent?: string;
  objectRef?: {
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
    apiVersion?: string;
  };
  responseStatus?: { code: number; reason?: string };
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}

export interface AuditFilter {
  /** Only requests received at or after this instant. */
  since?: Date;
  /** e.g. ['create', 'update', 'patch', 'delete'] to count writes. */
  verbs?: string[];
  /** Full username (`alice@example.com`) or short name (`alice`); impersonated users count as themselves. */
  user?: string;
  /** Plural resource, e.g. 'rolebindings'. */
  resource?: string;
  namespace?: string;
}

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
`;

export async function writeAuditPolicy(path: string): Promise<void> {
  await writeFile(path, POLICY);
}

const BARRIER = 'roster-audit-barrier';

/**
 * The apiserver may answer a request a moment before its audit event is written. Send a marker request (its
 * path is given the marker) and wait until the marker is in the log: everything answered before it is then
 * there too. Only the part of the file written since the call is scanned.
 */
export async function waitForAuditFlush(path: string, sendMarker: (path: string) => Promise<unknown>): Promise<void> {
  const offset = (await stat(path).catch(() => ({ size: 0 }))).size;
  const marker = randomUUID();
  await sendMarker(`/version?${BARRIER}=${marker}`);
  const logged = async (): Promise<true | string> =>
    (await readFrom(path, offset)).includes(marker) || 'marker not logged yet';
  await pollUntil({ what: `audit log ${path}: flush`, timeoutMs: 10_000, probe: logged, intervalMs: 20 });
}

async function readFrom(path: string, offset: number): Promise<string> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.max(size - offset, 0));
    await file.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await file.close();
  }
}

/** Parse the JSON-lines log; a half-written last line is skipped. Only completed requests, minus flush markers. */
export async function readAuditEvents(
  path: string,
  filter: AuditFilter & { resolveUser?: (u: string) => string } = {},
): Promise<AuditEvent[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const events: AuditEvent[] = [];
  for (const line of text.split('\n')) {
    const event = parseLine(line);
    if (event && event.stage === 'ResponseComplete' && !event.requestURI.includes(BARRIER) && matches(event, filter))
      events.push(event);
  }
  return events;
}

function parseLine(line: string): AuditEvent | undefined {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line) as AuditEvent;
  } catch {
    return undefined;
  }
}

function matches(e: AuditEvent, f: AuditFilter & { resolveUser?: (u: string) => string }): boolean {
  if (f.since && Date.parse(e.requestReceivedTimestamp) < f.since.getTime()) return false;
  if (f.verbs && !f.verbs.includes(e.verb)) return false;
  if (f.resource !== undefined && e.objectRef?.resource !== f.resource) return false;
  if (f.namespace !== undefined && e.objectRef?.namespace !== f.namespace) return false;
  if (f.user !== undefined) {
    const wanted = f.resolveUser ? f.resolveUser(f.user) : f.user;
    if ((e.impersonatedUser ?? e.user).username !== wanted) return false;
  }
  return true;
}

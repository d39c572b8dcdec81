import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AuditLogError, countUsage } from '../../../src/usage/index.js';
import type { UsageReport } from '../../../src/usage/report.js';
import { MAX_LINE_BYTES } from '../../../src/usage/stream.js';
import { acmeModel } from '../../support/models.js';

const NOW = new Date('2026-03-01T00:00:00Z');

/** alice lists pods in payments: a request Roster's payments editor grant allows. */
const GOOD = JSON.stringify({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  stage: 'ResponseComplete',
  verb: 'list',
  requestURI: '/api/v1/namespaces/payments/pods',
  user: { username: 'oidc:alice@example.com', groups: ['oidc:payments-eng'] },
  objectRef: { resource: 'pods', namespace: 'payments', apiVersion: 'v1' },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: '2026-02-20T10:00:00.000000Z',
  annotations: { 'authorization.k8s.io/decision': 'allow' },
});

describe('usage: audit logs a new user might pass by mistake', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'roster-usage-bad-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, content: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  function usage(path: string): Promise<UsageReport> {
    const model = acmeModel();
    const cluster = model.clusters.find((c) => c.name === 'prod-eu')!;
    return countUsage({ model, logs: [{ cluster, file: path }], now: NOW, unusedForDays: 30 });
  }

  async function rejected(path: string, message: RegExp): Promise<void> {
    await assert.rejects(usage(path), (err: unknown) => {
      assert.ok(err instanceof AuditLogError, `an AuditLogError (exit 2), got ${String(err)}`);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, message);
      return true;
    });
  }

  it('refuses a directory, naming a file to pass instead', async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    await rejected(logs, /logs: is a directory, not an audit log; pass its files, e.g. --audit-log .*logs\/audit\.log/);
  });

  it('refuses a truncated gzip, saying after which line, and reports nothing from it', async () => {
    const text = `${Array.from({ length: 5000 }, () => GOOD).join('\n')}\n`;
    const gz = gzipSync(text);
    const path = file('cut.log.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    await rejected(
      path,
      /cut\.log\.gz: the gzip data is truncated or corrupt after line \d+ \(unexpected end of file\)/,
    );
  });

  it('refuses a file of non-JSON lines, with file:line of the first', async () => {
    await rejected(
      file('app.log', '\nINFO starting\nWARN slow\n'),
      /app\.log:2: not JSON, and none of the file's 2 lines/,
    );
  });

  it('refuses JSON lines that are not audit events', async () => {
    const lines = ['{"kind":"Pod","metadata":{"name":"x"}}', '[1,2]', '{"level":"info","msg":"hi"}'];
    await rejected(
      file('export.json', `${lines.join('\n')}\n`),
      /export\.json:1: not an audit\.k8s\.io Event, and none of the file's 3 lines is an audit\.k8s\.io\/v1 Event/,
    );
  });

  it('skips and reports bad lines among audit events, with file:line of the first, and counts the rest', async () => {
    const path = file('mixed.log', `${GOOD}\n{"half": \n${GOOD}\nnot json\n`);
    const r = await usage(path);
    assert.deepEqual(r.malformed, [{ file: path, lines: 2, first: { line: 2, reason: 'not JSON' } }]);
    assert.deepEqual([r.totals.lines, r.totals.malformed, r.totals.requests], [4, 2, 2]);
    assert.equal(r.grants.find((g) => g.holder.name === 'payments' && g.namespace === 'payments')?.count, 2);
  });

  it('skips a line longer than the limit without holding it, and reads on after it', async () => {
    const huge = `{"kind":"Event","pad":"${'x'.repeat(MAX_LINE_BYTES + 1024)}"}`;
    const path = file('huge.log', `${GOOD}\n${huge}\n${GOOD}\n`);
    const r = await usage(path);
    assert.deepEqual(r.malformed, [{ file: path, lines: 1, first: { line: 2, reason: 'line longer than 8 MiB' } }]);
    assert.deepEqual([r.totals.lines, r.totals.requests], [3, 2]);
  });
});

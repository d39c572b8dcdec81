import assert from 'node:assert/strict';
import { REDACTED, createLogger, errorFields } from '../../src/log.js';

/** The fields of a log line these tests read. */
interface LogLine {
  level?: string;
  msg?: string;
  time?: string;
  component?: string;
  app?: string;
  token?: string;
  cluster?: string | Record<string, string>;
  user?: { token?: string; name?: string };
  req?: { headers: Record<string, string> };
}

function capture() {
  const lines: string[] = [];
  const log = createLogger({ destination: { write: (line) => void lines.push(line) }, base: { component: 'test' } });
  return { log, records: () => lines.map((l) => JSON.parse(l) as LogLine) };
}

describe('logs', () => {
  it('writes one JSON object per line with level, time, message and the base fields', () => {
    const { log, records } = capture();
    log.info({ cluster: 'east' }, 'cluster reconciled');
    const [record] = records();
    assert.equal(record?.level, 'info');
    assert.equal(record?.msg, 'cluster reconciled');
    assert.equal(record?.cluster, 'east');
    assert.equal(record?.component, 'test');
    assert.equal(record?.app, 'roster');
    assert.ok(!Number.isNaN(Date.parse(record?.time ?? '')), 'time is an ISO date');
  });

  it('masks tokens, passwords, kubeconfigs and authorization headers, at the top and one level down', () => {
    const { log, records } = capture();
    const secret = 'eyJhbGciOiJSUzI1NiJ9.secret-material';
    log.info(
      {
        token: secret,
        password: secret,
        kubeconfig: secret,
        user: { token: secret, name: 'alice' },
        req: {
          headers: {
            authorization: `Bearer ${secret}`,
            'x-gitlab-token': secret,
            'x-hub-signature-256': secret,
            host: 'roster',
          },
        },
        headers: { authorization: `Bearer ${secret}` },
        cluster: { 'client-key-data': secret },
      },
      'sensitive',
    );
    const [record] = records();
    assert.ok(!JSON.stringify(record).includes('secret-material'), `a secret leaked: ${JSON.stringify(record)}`);
    assert.equal(record?.token, REDACTED);
    assert.equal(record?.user?.token, REDACTED);
    assert.equal(record?.user?.name, 'alice', 'ordinary fields stay readable');
    assert.equal(record?.req?.headers.authorization, REDACTED);
    assert.equal(record?.req?.headers.host, 'roster');
    assert.equal((record?.cluster as Record<string, string> | undefined)?.['client-key-data'], REDACTED);
  });

  it('logs an error as its code and message, not its stack', () => {
    const err = Object.assign(new Error('RoleBinding/payments/x: patch failed: Forbidden'), { code: 'ApiError' });
    assert.deepEqual(errorFields(err), {
      code: 'ApiError',
      message: 'RoleBinding/payments/x: patch failed: Forbidden',
    });
    assert.deepEqual(errorFields('boom'), { code: 'unknown', message: 'boom' });
  });
});

import assert from 'node:assert/strict';
import { ApiError } from '../../../src/cluster/errors.js';
import { ambiguous, attemptsAllowed, DEFAULT_RETRY } from '../../../src/cluster/retry.js';
import { requester, serve } from './scripted-server.js';

const create = { verb: 'create', ref: 'RoleBinding/ns/b' };
const post = { method: 'POST' as const, path: '/x', body: { kind: 'RoleBinding' } };

async function failure(port: number, req: typeof post = post): Promise<ApiError> {
  const err = await requester(port)
    .call(create, req)
    .catch((e: unknown) => e);
  assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
  return err;
}

describe('retry rules: a write is sent again only when it provably did not happen', () => {
  it('retries a write after 429, and after a 5xx only when it carries Retry-After', () => {
    assert.equal(attemptsAllowed({ status: 429 }, 'POST', DEFAULT_RETRY), 10);
    assert.equal(attemptsAllowed({ status: 503, retryAfter: '1' }, 'PATCH', DEFAULT_RETRY), 10);
    assert.equal(attemptsAllowed({ status: 503 }, 'DELETE', DEFAULT_RETRY), 1);
    assert.equal(attemptsAllowed({ status: 500 }, 'POST', DEFAULT_RETRY), 1);
    assert.equal(ambiguous({ status: 500 }), true);
    assert.equal(ambiguous({ status: 503, retryAfter: '1' }), false);
    assert.equal(ambiguous({ status: 429 }), false);
    assert.equal(ambiguous({ status: 409 }), false);
  });

  it('retries a write whose connection never came up, never one that was sent and then lost', () => {
    assert.equal(attemptsAllowed({ networkError: 'ECONNREFUSED', sent: false }, 'POST', DEFAULT_RETRY), 3);
    assert.equal(attemptsAllowed({ networkError: 'TIMEOUT', sent: false }, 'POST', DEFAULT_RETRY), 5);
    assert.equal(attemptsAllowed({ networkError: 'TIMEOUT', sent: true }, 'POST', DEFAULT_RETRY), 1);
    assert.equal(attemptsAllowed({ networkError: 'ECONNRESET', sent: true }, 'DELETE', DEFAULT_RETRY), 1);
    assert.equal(ambiguous({ networkError: 'ECONNRESET', sent: true }), true);
    assert.equal(ambiguous({ networkError: 'ECONNREFUSED', sent: false }), false);
  });

  it('a create whose connection is reset after sending is not sent again and is marked ambiguous', async () => {
    const server = await serve(['hang-up-after-reading', { status: 201 }]);
    try {
      const err = await failure(server.port);
      assert.equal(server.calls(), 1);
      assert.equal(err.ambiguous, true);
      assert.equal(err.status, 0);
    } finally {
      await server.close();
    }
  });

  it('a create answered 500 is not resent and is marked ambiguous; 503 with Retry-After is sent again', async () => {
    const server = await serve([{ status: 500 }]);
    try {
      const err = await failure(server.port);
      assert.equal(server.calls(), 1);
      assert.equal(err.ambiguous, true);
    } finally {
      await server.close();
    }
    const retried = await serve([{ status: 503, retryAfter: '0' }, { status: 429, retryAfter: '0' }, { status: 201 }]);
    try {
      const res = await requester(retried.port).call(create, post);
      assert.equal(res.status, 201);
      assert.equal(retried.calls(), 3);
    } finally {
      await retried.close();
    }
  });

  it('a read reset after sending is sent again', async () => {
    const server = await serve(['hang-up-after-reading', { status: 200 }]);
    try {
      const res = await requester(server.port).call({ verb: 'get', ref: 'x' }, { method: 'GET', path: '/x' });
      assert.equal(res.status, 200);
      assert.equal(server.calls(), 2);
    } finally {
      await server.close();
    }
  });

  it('a create to a port where nothing listens is retried, then fails as unreachable, not ambiguous', async () => {
    const server = await serve([{ status: 201 }]);
    await server.close();
    const err = await failure(server.port);
    assert.equal(err.reason, 'ECONNREFUSED');
    assert.equal(err.ambiguous, false);
    assert.equal(err.unreachable, true);
  });
});

import assert from 'node:assert/strict';
import { ApiError } from '../../../src/cluster/errors.js';
import { requester as localRequester, serve } from './scripted-server.js';

/** The requester these tests use sends a bearer token, to show it never reaches an error. */
const requester = (port: number) => localRequester(port, { Authorization: 'Bearer secret-token' });

const ctx = { verb: 'list', ref: 'RoleBinding' };

describe('cluster requester: retries and errors', () => {
  it('retries 503 and 429 (honouring Retry-After) until an answer comes, counting every attempt', async () => {
    const server = await serve([
      { status: 503 },
      { status: 429, headers: { 'Retry-After': '0' } },
      { status: 200, body: { ok: true } },
    ]);
    try {
      const http = requester(server.port);
      const res = await http.call(ctx, { method: 'GET', path: '/x' });
      assert.equal(res.status, 200);
      assert.equal(server.calls(), 3);
      assert.deepEqual(http.requests(), { list: 3 });
    } finally {
      await server.close();
    }
  });

  it('keeps a separate budget for throttling: 429s do not use up the attempts other failures get', async () => {
    // Budgets in this test: 6 throttled sends, 4 for other failures. Five 429s and three 503s (9 failures in all,
    // more than either budget alone) still end in the answer.
    const throttled = { status: 429, headers: { 'Retry-After': '0' } };
    const server = await serve([
      throttled,
      { status: 503 },
      throttled,
      throttled,
      { status: 503 },
      throttled,
      { status: 503 },
      throttled,
      { status: 200, body: { ok: true } },
    ]);
    try {
      const res = await requester(server.port).call(ctx, { method: 'GET', path: '/x' });
      assert.equal(res.status, 200);
      assert.equal(server.calls(), 9);
    } finally {
      await server.close();
    }
  });

  it('gives up once one budget is spent: a sixth 429 in a row fails the request', async () => {
    const server = await serve([{ status: 429, headers: { 'Retry-After': '0' } }]);
    try {
      const err = await requester(server.port)
        .call(ctx, { method: 'GET', path: '/x' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 429);
      assert.equal(server.calls(), 6);
    } finally {
      await server.close();
    }
  });

  it('does not retry a 403, and reports the API server reason and message without credentials', async () => {
    const status = { kind: 'Status', reason: 'Forbidden', message: 'rolebindings is forbidden: User "ci" cannot list' };
    const server = await serve([{ status: 403, body: status }]);
    try {
      const err = await requester(server.port)
        .call(ctx, { method: 'GET', path: '/x' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 403);
      assert.equal(
        err.message,
        'RoleBinding: list failed: Forbidden: rolebindings is forbidden: User "ci" cannot list',
      );
      assert.equal(server.calls(), 1);
      assert.doesNotMatch(JSON.stringify({ ...err, message: err.message }), /secret-token/);
    } finally {
      await server.close();
    }
  });

  it('gives up on a refused connection after a few attempts, as an unreachable cluster', async () => {
    const server = await serve([{ status: 200 }]);
    const { port } = server;
    await server.close();
    const http = requester(port);
    const err = await http.call(ctx, { method: 'GET', path: '/x' }).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError && err.unreachable);
    assert.equal(err.reason, 'ECONNREFUSED');
    assert.deepEqual(http.requests(), { list: 3 });
  });

  it('stops retrying 5xx after the policy maximum', async () => {
    const server = await serve([
      { status: 500, body: { kind: 'Status', reason: 'InternalError', message: 'etcd down' } },
    ]);
    try {
      const err = await requester(server.port)
        .call(ctx, { method: 'GET', path: '/x' })
        .catch((e: unknown) => e);
      assert.ok(err instanceof ApiError && err.status === 500);
      assert.equal(server.calls(), 4);
    } finally {
      await server.close();
    }
  });
});

import assert from 'node:assert/strict';
import { TokenBucket, type Clock } from '../../../src/cluster/ratelimit.js';
import { attemptsAllowed, DEFAULT_RETRY, parseRetryAfter, retryDelay } from '../../../src/cluster/retry.js';
import { collectionPath, objectPath, withQuery } from '../../../src/cluster/paths.js';

function fakeClock(): Clock & { t: number; slept: number[] } {
  const clock = {
    t: 0,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe('cluster client: rate limit, retries, paths', () => {
  it('lets a burst through at once, then paces requests at qps', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(10, 3, clock);
    const waits = Array.from({ length: 5 }, () => bucket.reserve());
    assert.deepEqual(waits.map(Math.round), [0, 0, 0, 100, 200]);
    clock.t += 1000;
    assert.equal(bucket.reserve(), 0);
  });

  it('retries a read after 429, 5xx and dropped connections; not 4xx; a refused connection only a few times', () => {
    assert.equal(attemptsAllowed({ status: 429 }, 'GET', DEFAULT_RETRY), 10);
    assert.equal(attemptsAllowed({ status: 503 }, 'GET', DEFAULT_RETRY), 5);
    assert.equal(attemptsAllowed({ status: 403 }, 'GET', DEFAULT_RETRY), 1);
    assert.equal(attemptsAllowed({ status: 409 }, 'GET', DEFAULT_RETRY), 1);
    assert.equal(attemptsAllowed({ networkError: 'ECONNRESET', sent: true }, 'GET', DEFAULT_RETRY), 5);
    assert.equal(attemptsAllowed({ networkError: 'TIMEOUT', sent: true }, 'GET', DEFAULT_RETRY), 5);
    assert.equal(attemptsAllowed({ networkError: 'ECONNREFUSED', sent: false }, 'GET', DEFAULT_RETRY), 3);
    assert.equal(attemptsAllowed({ networkError: 'CERT_HAS_EXPIRED', sent: false }, 'GET', DEFAULT_RETRY), 1);
  });

  it('honours Retry-After, and gives up when it asks for too long', () => {
    assert.equal(retryDelay(1, { status: 429, retryAfter: '2' }, DEFAULT_RETRY), 2000);
    assert.equal(retryDelay(1, { status: 429, retryAfter: '600' }, DEFAULT_RETRY), undefined);
    assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1_000), 60_000);
    assert.equal(parseRetryAfter(undefined), undefined);
  });

  it('backs off exponentially with jitter, capped', () => {
    const low = () => 0;
    const high = () => 1;
    assert.equal(retryDelay(1, { status: 500 }, DEFAULT_RETRY, low), 100);
    assert.equal(retryDelay(1, { status: 500 }, DEFAULT_RETRY, high), 200);
    assert.equal(retryDelay(3, { status: 500 }, DEFAULT_RETRY, high), 800);
    assert.equal(retryDelay(20, { status: 500 }, DEFAULT_RETRY, high), DEFAULT_RETRY.maxDelayMs);
  });

  it('builds REST paths for core and RBAC kinds', () => {
    assert.equal(collectionPath('RoleBinding'), '/apis/rbac.authorization.k8s.io/v1/rolebindings');
    assert.equal(collectionPath('Namespace'), '/api/v1/namespaces');
    assert.equal(
      objectPath({
        group: 'rbac.authorization.k8s.io',
        kind: 'RoleBinding',
        namespace: 'pay',
        name: 'roster:team:a:b',
      }),
      '/apis/rbac.authorization.k8s.io/v1/namespaces/pay/rolebindings/roster%3Ateam%3Aa%3Ab',
    );
    assert.equal(
      objectPath({ group: '', kind: 'ServiceAccount', namespace: 't', name: 'ci' }),
      '/api/v1/namespaces/t/serviceaccounts/ci',
    );
    assert.equal(withQuery('/x', { a: 'b=c', skip: undefined }), '/x?a=b%3Dc');
  });
});

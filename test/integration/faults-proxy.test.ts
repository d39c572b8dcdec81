/**
 * The fault proxy itself, in front of the real API server: each of its six faults does to a create exactly what its
 * name says (answered or not, carried out on the server or not), and a seed fixes which requests get a fault.
 * The fault suite's claims rest on this: a fault that silently did something else would prove nothing.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRates } from '../harness/fault-proxy.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, createNamespace, unique } from './reconcile-support.js';

const CLUSTER = 'east';

/** What the client saw: an HTTP answer, or the connection failing (reset) without one. */
type Seen = { status: number; retryAfter: string | undefined; ms: number } | { error: string; ms: number };

describe('fault proxy: six faults on the wire, seeded', function () {
  this.timeout(60_000);
  const namespace = unique('proxy');
  const proxies: FaultProxy[] = [];

  before(() => createNamespace(CLUSTER, namespace));
  after(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await cleanUp(unique('none'), [namespace]);
  });

  async function proxy(rates: FaultRates, seed = 1): Promise<FaultProxy> {
    const cluster = controlPlane().cluster(CLUSTER);
    const p = await startFaultProxy({
      upstream: cluster.server,
      ca: Buffer.from(cluster.caData, 'base64'),
      rates,
      seed,
      slowMs: 1500,
      methods: ['POST'],
    });
    proxies.push(p);
    return p;
  }

  /** One request through the proxy as the admin, on a fresh connection. */
  function send(p: FaultProxy, method: string, path: string, body?: unknown): Promise<Seen> {
    const started = Date.now();
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve) => {
      const req = http.request(
        `${p.url}${path}`,
        {
          method,
          agent: false,
          headers: {
            Authorization: `Bearer ${controlPlane().users[0]!.token}`,
            'Content-Type': 'application/json',
            ...(data ? { 'Content-Length': Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, retryAfter, ms: Date.now() - started });
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        resolve({ error: err.code ?? err.message, ms: Date.now() - started }),
      );
      req.end(data);
    });
  }

  const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });
  const exists = async (name: string) =>
    (await controlPlane().request(CLUSTER, 'GET', `/api/v1/namespaces/${namespace}/configmaps/${name}`)).status === 200;

  const EXPECTED: Record<Fault, { seen: (s: Seen) => boolean; carriedOut: boolean }> = {
    tooManyRequests: { seen: (s) => 'status' in s && s.status === 429 && s.retryAfter === '1', carriedOut: false },
    unavailable: { seen: (s) => 'status' in s && s.status === 503 && s.retryAfter === undefined, carriedOut: false },
    serverError: { seen: (s) => 'status' in s && s.status === 500, carriedOut: true },
    lostReply: { seen: (s) => 'error' in s, carriedOut: true },
    resetBeforeSend: { seen: (s) => 'error' in s, carriedOut: false },
    slow: { seen: (s) => 'status' in s && s.status === 201 && s.ms >= 1500, carriedOut: true },
  };

  for (const [fault, expected] of Object.entries(EXPECTED) as Array<[Fault, (typeof EXPECTED)[Fault]]>) {
    const outcome = expected.carriedOut ? 'the server creates the object' : 'nothing reaches the server';
    it(`${fault}: ${outcome}`, async () => {
      const p = await proxy({ [fault]: 1 });
      const name = unique(fault.toLowerCase());
      const seen = await send(p, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, configMap(name));
      assert.ok(expected.seen(seen), `${fault}: the client saw ${JSON.stringify(seen)}`);
      assert.equal(await exists(name), expected.carriedOut, `${fault}: object created on the server`);
      assert.equal(p.counts().faults[fault], 1);
      // Only the methods asked for get faults: a GET passes untouched.
      const read = await send(p, 'GET', `/api/v1/namespaces/${namespace}/configmaps`);
      assert.ok('status' in read && read.status === 200, JSON.stringify(read));
    });
  }

  it('injects at the set rate, and the same seed picks the same requests', async () => {
    const pattern = async (seed: number) => {
      const p = await proxy({ tooManyRequests: 0.3 }, seed);
      const out: string[] = [];
      for (let i = 0; i < 60; i++) {
        const seen = await send(p, 'POST', `/api/v1/namespaces/${namespace}/configmaps?dryRun=All`, configMap('x'));
        out.push('status' in seen && seen.status === 429 ? 'F' : '.');
      }
      return out.join('');
    };
    const [a, b, other] = [await pattern(7), await pattern(7), await pattern(8)];
    assert.equal(a, b, 'same seed, same faulted requests');
    assert.notEqual(a, other, 'another seed, other requests');
    const rate = a.split('F').length - 1;
    assert.ok(rate >= 8 && rate <= 30, `about 18 of 60 faulted, got ${rate}: ${a}`);
  });
});

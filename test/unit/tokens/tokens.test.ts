import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parse } from 'yaml';
import { Secret } from '../../../src/cluster/secret.js';
import { compile } from '../../../src/compile/index.js';
import { TokenError } from '../../../src/tokens/errors.js';
import { renderKubeconfig, writePrivateFile } from '../../../src/tokens/kubeconfig.js';
import { checkGrantedExpiry, checkTokenOnCluster, findToken, tokenLifetime } from '../../../src/tokens/lifetime.js';
import { NOW, acmeModel, offlineFacts } from '../../support/models.js';

const SECRET_VALUE = 'eyJhbGciOi.secret-token-value';

function refusal(reason: string) {
  return (err: unknown): boolean =>
    err instanceof TokenError && err.data.reason === reason && !err.message.includes(SECRET_VALUE);
}

describe('tokens: what may be minted', () => {
  const model = acmeModel();

  it('refuses an unknown token, naming the declared ones', () => {
    assert.throws(
      () => findToken(model, 'nope', NOW),
      (err: unknown) => refusal('unknown')(err) && /ci-deployer/.test((err as Error).message),
    );
  });

  it('refuses an expired token', () => {
    assert.throws(() => findToken(model, 'old-ci', NOW), refusal('expired'));
  });

  it('refuses a cluster the token has no grant on', () => {
    const result = compile(model, offlineFacts(model), NOW);
    const token = findToken(model, 'ci-deployer', NOW);
    assert.doesNotThrow(() => checkTokenOnCluster(result, token, 'prod-eu', model.settings.tokenNamespace));
    assert.throws(
      () => checkTokenOnCluster(result, token, 'prod-us', model.settings.tokenNamespace),
      refusal('not-on-cluster'),
    );
  });

  it("asks for the requested lifetime, capped by the token's expiry less clock skew", () => {
    const token = findToken(model, 'ci-deployer', NOW);
    assert.equal(tokenLifetime(token, 3600, NOW), 3600);
    const hourBefore = new Date(token.expires.getTime() - 3600_000);
    assert.equal(tokenLifetime(token, 86_400, hourBefore), 3600 - 60);
  });

  it("refuses lifetimes under the TokenRequest API's ten-minute minimum", () => {
    const token = findToken(model, 'ci-deployer', NOW);
    assert.throws(() => tokenLifetime(token, 300, NOW), refusal('too-short'));
    assert.throws(() => tokenLifetime(token, 3600, new Date(token.expires.getTime() - 300_000)), refusal('too-short'));
  });

  it("refuses a granted expiry past the token's own", () => {
    const token = findToken(model, 'ci-deployer', NOW);
    assert.doesNotThrow(() => checkGrantedExpiry(token, '2026-03-01T01:00:00Z', 'prod-eu'));
    assert.throws(() => checkGrantedExpiry(token, '2027-03-01T00:00:01Z', 'prod-eu'), refusal('beyond-expiry'));
  });
});

describe('tokens: secrets never print', () => {
  it('masks a Secret in strings, JSON and inspect', () => {
    const secret = new Secret(SECRET_VALUE);
    const shown = [
      `${String(secret)}`,
      `${secret.toString()}`,
      JSON.stringify({ secret }),
      inspect({ secret }),
      String(secret),
    ].join(' ');
    assert.ok(!shown.includes(SECRET_VALUE), shown);
    assert.equal(secret.reveal(), SECRET_VALUE);
  });
});

describe('tokens: the kubeconfig', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'roster-kubeconfig-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const text = (): string =>
    renderKubeconfig({
      cluster: 'east',
      entry: { server: 'https://127.0.0.1:6443', certificateAuthorityData: 'Q0E=' },
      token: 'ci',
      secret: new Secret(SECRET_VALUE),
      expires: new Date('2026-03-01T01:00:00Z'),
      namespace: 'payments',
    });

  it('holds one cluster, one user with the token and one current context', () => {
    const doc = parse(text()) as Record<string, unknown>;
    assert.deepEqual(doc.clusters, [
      { name: 'east', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } },
    ]);
    assert.deepEqual(doc.users, [{ name: 'roster-token-ci', user: { token: SECRET_VALUE } }]);
    assert.deepEqual(doc.contexts, [
      { name: 'ci@east', context: { cluster: 'east', user: 'roster-token-ci', namespace: 'payments' } },
    ]);
    assert.equal(doc['current-context'], 'ci@east');
  });

  it('is written with mode 0600 and leaves no temp file behind', async () => {
    const file = join(dir, 'ci.kubeconfig');
    await writePrivateFile(file, text(), { overwrite: false });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8'), text());
    assert.deepEqual(readdirSync(dir), ['ci.kubeconfig']);
  });

  it('never replaces an existing file unless asked', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'precious', { mode: 0o644 });
    await assert.rejects(writePrivateFile(file, text(), { overwrite: false }), refusal('exists'));
    assert.equal(readFileSync(file, 'utf8'), 'precious');
    await writePrivateFile(file, text(), { overwrite: true });
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createLogger } from '../../../src/log.js';
import { startHttpServer, type RunningServer } from '../../../src/serve/http.js';
import { ServeMetrics } from '../../../src/serve/metrics.js';
import { WebhookVerdict, githubSignature, verifyWebhook, webhookSecretFrom } from '../../../src/serve/webhook.js';

const SECRET = 'shh-this-is-the-webhook-secret';
const BODY = Buffer.from(JSON.stringify({ ref: 'refs/heads/main', after: 'abc123' }));

describe('webhook signatures', () => {
  it('accepts a GitHub push signed with the secret (X-Hub-Signature-256)', () => {
    const header = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
    assert.equal(githubSignature(BODY, SECRET), header);
    assert.deepEqual(verifyWebhook({ 'x-hub-signature-256': header }, BODY, SECRET), {
      style: 'github',
      verdict: WebhookVerdict.accepted,
    });
  });

  it('refuses a GitHub signature made with another secret, or over another body', () => {
    assert.equal(
      verifyWebhook({ 'x-hub-signature-256': githubSignature(BODY, 'wrong') }, BODY, SECRET).verdict,
      WebhookVerdict.badSignature,
    );
    const tampered = Buffer.from(BODY.toString().replace('main', 'evil'));
    assert.equal(
      verifyWebhook({ 'x-hub-signature-256': githubSignature(BODY, SECRET) }, tampered, SECRET).verdict,
      WebhookVerdict.badSignature,
    );
  });

  it('calls a header without sha256= and 64 hex digits malformed', () => {
    for (const header of [
      'sha1=abcd',
      'sha256=xyz',
      `sha256=${'a'.repeat(63)}`,
      githubSignature(BODY, SECRET).slice(7),
    ]) {
      assert.equal(
        verifyWebhook({ 'x-hub-signature-256': header }, BODY, SECRET).verdict,
        WebhookVerdict.malformed,
        header,
      );
    }
  });

  it('accepts the GitLab token only when it equals the secret, whatever its length', () => {
    assert.equal(verifyWebhook({ 'x-gitlab-token': SECRET }, BODY, SECRET).verdict, WebhookVerdict.accepted);
    for (const token of ['', 'x', SECRET.slice(0, -1), `${SECRET}x`]) {
      assert.equal(
        verifyWebhook({ 'x-gitlab-token': token }, BODY, SECRET).verdict,
        WebhookVerdict.badSignature,
        `token of length ${token.length}`,
      );
    }
  });

  it('calls a request with neither header unsigned', () => {
    assert.deepEqual(verifyWebhook({ 'content-type': 'application/json' }, BODY, SECRET), {
      verdict: WebhookVerdict.unsigned,
    });
  });

  it('refuses to start without a secret in the named environment variable', () => {
    assert.throws(() => webhookSecretFrom('ROSTER_WEBHOOK_SECRET', {}), {
      code: 'WebhookSecretError',
      message: /ROSTER_WEBHOOK_SECRET is empty or unset/,
    });
    assert.equal(webhookSecretFrom('HOOK', { HOOK: SECRET }), SECRET);
  });
});

describe('POST /webhook', () => {
  let server: RunningServer;
  const triggers: string[] = [];
  const logLines: string[] = [];

  before(async () => {
    const log = createLogger({ destination: { write: (line) => void logLines.push(line) } });
    server = await startHttpServer({
      listen: '127.0.0.1:0',
      metrics: new ServeMetrics({ processMetrics: false }),
      readiness: () => ({ ready: true, detail: 'leader' }),
      log,
      webhook: { secret: SECRET, trigger: (reason) => void triggers.push(reason) },
    });
  });
  after(() => server.close());
  beforeEach(() => (triggers.length = 0));

  const post = (headers: Record<string, string>, body: Buffer = BODY) =>
    fetch(`http://127.0.0.1:${server.port}/webhook`, { method: 'POST', headers, body });

  it('answers 202 and triggers a fetch for a correctly signed GitHub push', async () => {
    const res = await post({ 'X-Hub-Signature-256': githubSignature(BODY, SECRET), 'X-GitHub-Event': 'push' });
    assert.equal(res.status, 202);
    assert.deepEqual(triggers, ['webhook (github)']);
  });

  it('answers 202 for a GitLab push with the right token', async () => {
    const res = await post({ 'X-Gitlab-Token': SECRET });
    assert.equal(res.status, 202);
    assert.deepEqual(triggers, ['webhook (gitlab)']);
  });

  it('answers 401 to an unsigned or wrongly signed request and triggers nothing', async () => {
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ 'X-Hub-Signature-256': githubSignature(BODY, 'guess') })).status, 401);
    assert.equal((await post({ 'X-Gitlab-Token': 'guess' })).status, 401);
    assert.equal((await post({ 'X-Hub-Signature-256': 'sha256=zz' })).status, 400);
    assert.deepEqual(triggers, []);
  });

  it('never writes the secret or the signature into the log', () => {
    const text = logLines.join('');
    assert.ok(text.includes('webhook received'), 'the webhook requests are logged');
    assert.ok(!text.includes(SECRET), 'secret leaked into the log');
    assert.ok(!text.includes(githubSignature(BODY, SECRET).slice(7)), 'signature leaked into the log');
  });
});

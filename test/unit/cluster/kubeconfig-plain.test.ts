import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { kubeconfigFile, readPlainKubeconfig } from '../../../src/cluster/kubeconfig-plain.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Variant {
  cluster: Record<string, unknown>;
  user: Record<string, unknown>;
}

/** The fields src/cluster/kubeconfig.ts takes from the TLS options (agent material and headers). */
const USED = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'headers', 'auth'] as const;
const used = (tls: https.RequestOptions) =>
  Object.fromEntries(USED.filter((k) => tls[k] !== undefined).map((k) => [k, tls[k]]));

/** What client-node makes of the same file: the reference the plain reader must match. */
async function byClientNode(file: string, context: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  kc.setCurrentContext(context);
  const tls: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  return { server: kc.getCurrentCluster()!.server, tls: used(tls) };
}

describe('cluster: plain kubeconfigs without client-node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-kubeconfig-'));
  before(() => {
    writeFileSync(join(dir, 'ca.pem'), 'CA FROM FILE');
    writeFileSync(join(dir, 'client.pem'), 'CERT FROM FILE');
    writeFileSync(join(dir, 'client.key'), 'KEY FROM FILE');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function write(name: string, v: Variant, extra: Record<string, unknown> = {}): string {
    const file = join(dir, name);
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: v.cluster }],
      users: [{ name: 'u', user: v.user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
      'current-context': 'ctx',
      ...extra,
    };
    writeFileSync(file, stringify(config));
    return file;
  }

  const same: Record<string, Variant> = {
    'token and inline CA': {
      cluster: { server: 'https://127.0.0.1:6443/', 'certificate-authority-data': b64('CA') },
      user: { token: 'abc' },
    },
    'client certificate inline, CA in a file relative to the kubeconfig, TLS server name': {
      cluster: { server: 'https://k.example:443', 'certificate-authority': 'ca.pem', 'tls-server-name': 'api' },
      user: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
    },
    'client certificate in files (absolute), verification off': {
      cluster: { server: 'https://10.0.0.1', 'insecure-skip-tls-verify': true },
      user: { 'client-certificate': join(dir, 'client.pem'), 'client-key': join(dir, 'client.key'), token: 't' },
    },
  };

  for (const [name, variant] of Object.entries(same))
    it(`reads "${name}" exactly as client-node does`, async () => {
      const file = write(`${name.replace(/\W+/g, '-')}.yaml`, variant);
      const plain = readPlainKubeconfig(file, 'ctx');
      assert.ok(plain, 'read without client-node');
      assert.deepEqual({ ...plain, tls: used(plain.tls) }, await byClientNode(file, 'ctx'));
    });

  const left: Record<string, Variant> = {
    'an exec plugin': { cluster: { server: 'https://a' }, user: { exec: { command: 'aws' } } },
    'an auth provider': { cluster: { server: 'https://a' }, user: { 'auth-provider': { name: 'oidc' } } },
    'basic auth': { cluster: { server: 'https://a' }, user: { username: 'u', password: 'p' } },
    impersonation: { cluster: { server: 'https://a' }, user: { token: 't', as: 'admin' } },
    'a token file': { cluster: { server: 'https://a' }, user: { 'token-file': '/var/run/token' } },
    'a proxy': { cluster: { server: 'https://a', 'proxy-url': 'http://proxy' }, user: { token: 't' } },
    'plain http': { cluster: { server: 'http://a', 'insecure-skip-tls-verify': true }, user: { token: 't' } },
    'a missing certificate file': { cluster: { server: 'https://a', 'certificate-authority': 'nope.pem' }, user: {} },
  };

  for (const [name, variant] of Object.entries(left))
    it(`leaves ${name} to client-node`, () => {
      assert.equal(readPlainKubeconfig(write(`left-${name.replace(/\W+/g, '-')}.yaml`, variant), 'ctx'), undefined);
    });

  it('leaves a missing context, an unreadable file and several KUBECONFIG files to client-node', () => {
    const file = write('ok.yaml', same['token and inline CA']!);
    assert.equal(readPlainKubeconfig(file, 'other'), undefined);
    assert.equal(readPlainKubeconfig(join(dir, 'absent.yaml'), 'ctx'), undefined);
    assert.equal(kubeconfigFile(undefined, { KUBECONFIG: [file, file].join(delimiter) }), undefined);
    assert.equal(kubeconfigFile(undefined, { KUBECONFIG: file }), file);
    assert.equal(kubeconfigFile('/x', { KUBECONFIG: file }), '/x');
  });
});

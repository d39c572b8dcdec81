/**
 * `-o` for the commands that mint a credential (`kubeconfig --user`, `kubeconfig --token`, `token kubeconfig`) is
 * checked before anything is minted: a certificate that cannot be saved cannot be revoked either. Each bad `-o` is
 * refused with a message naming it and the fix, no request goes out (the kubeconfig points at a port nothing listens
 * on, so a request would end in ECONNREFUSED, exit 3), and nothing is left in the folder.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { roster as rosterIn, type RosterRun } from '../../support/cli.js';
import { examplesDir } from '../../support/paths.js';

const ACME = join(examplesDir, 'acme');

/** Every command here reads examples/acme as it is on disk. */
const roster = (args: string[]): Promise<RosterRun> => rosterIn([...args, '--repo', ACME, '--worktree']);

describe('cli: -o of the commands that mint a credential', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-credential-output-'));
  const file = (name: string) => join(dir, name);
  before(() => {
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [{ name: 'u', user: { token: 'operator-token' } }],
      contexts: [{ name: 'prod-eu', context: { cluster: 'c', user: 'u' } }],
    };
    writeFileSync(file('operator.yaml'), stringify(config));
    writeFileSync(file('existing.kubeconfig'), 'precious');
    mkdirSync(file('a-folder'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const commands: Array<[string, string[]]> = [
    ['kubeconfig --user', ['kubeconfig', '--user', 'alice@example.com', '--cluster', 'prod-eu']],
    ['kubeconfig --token', ['kubeconfig', '--token', 'ci-deployer', '--cluster', 'prod-eu']],
    ['token kubeconfig', ['token', 'kubeconfig', 'ci-deployer', '--cluster', 'prod-eu']],
  ];
  const cases: Array<[string, string[], RegExp]> = [
    ['into a missing folder', ['-o', file('nope/x.kubeconfig')], /: the folder .*nope does not exist; create it first/],
    ['onto an existing file', ['-o', file('existing.kubeconfig')], /existing\.kubeconfig: already exists; .*--force/],
    ['a directory', ['-o', file('a-folder')], /a-folder: is a directory; name a file inside it, like -o .*a-folder\//],
    ['a directory, with --force', ['-o', file('a-folder'), '--force'], /a-folder: is a directory/],
    ['under a file', ['-o', file('existing.kubeconfig/x')], /existing\.kubeconfig is not a folder/],
  ];
  for (const [command, args] of commands) {
    for (const [what, output, problem] of cases) {
      it(`${command} -o ${what}: refused before any request, nothing written`, async () => {
        const res = await roster([...args, ...output, '--kubeconfig', file('operator.yaml')]);
        assert.equal(res.code, 2, res.stderr);
        assert.equal(res.stderr.split('\n').filter((l) => l.startsWith('error: ')).length, 1, res.stderr);
        assert.match(res.stderr, problem);
        assert.doesNotMatch(res.stderr, /ECONNREFUSED|internal error|\n\s+at /);
        assert.equal(res.stdout, '');
        assert.deepEqual(readdirSync(dir).sort(), ['a-folder', 'existing.kubeconfig', 'operator.yaml']);
        assert.deepEqual(readdirSync(file('a-folder')), []);
        assert.equal(readFileSync(file('existing.kubeconfig'), 'utf8'), 'precious');
      });
    }
  }

  it('a good -o gets as far as the cluster (here nothing listens: exit 3), and still writes nothing', async () => {
    const res = await roster([
      ...commands[0]![1],
      '-o',
      file('alice.kubeconfig'),
      '--kubeconfig',
      file('operator.yaml'),
    ]);
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /ECONNREFUSED/);
    assert.deepEqual(readdirSync(dir).sort(), ['a-folder', 'existing.kubeconfig', 'operator.yaml']);
  });
});

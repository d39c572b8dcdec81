/**
 * Leader loss during prune in `roster serve`: two replicas with leader election; the leader is killed (SIGKILL, no
 * hand-over) while it is deleting the bindings a new commit dropped. The standby must take over, finish the prune,
 * and at no moment may a binding both commits declare be missing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { githubSignature } from '../../src/serve/webhook.js';
import { TestRepo } from '../support/git/repo.js';
import { sample } from '../support/scrape.js';
import { ServeProcess } from '../support/serve-process.js';
import { ownedBindings } from './fault-support.js';
import { controlPlane } from './fixtures.js';
import { cleanUp, createNamespace } from './reconcile-support.js';

const suffix = randomBytes(3).toString('hex');
const instance = `prune-leader-${suffix}`;
const namespaces = [0, 1, 2].map((i) => `prune-leader-${suffix}-${i}`);
const leaseName = `roster-${suffix}`;
const role = `prune-reader-${suffix}`;
const HOOK_SECRET = `hook-${randomBytes(12).toString('hex')}`;
const SHARED = 10;
const DROPPED = 60;

const team = (name: string) =>
  `apiVersion: roster/v1\nkind: Team\nmetadata: {name: ${name}}\nspec:\n  members:\n` +
  `    users: [${name}@example.com]\n  grants:\n    - role: ${role}\n      namespaces: [${namespaces.join(', ')}]\n`;
const files = (dropped: number): Record<string, string> => ({
  'roster.yaml':
    `apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec:\n` +
    `  instance: ${instance}\n  prune: {enabled: true, maxPercent: 100}\n`,
  'clusters/east.yaml': 'apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: east}\nspec:\n  context: east\n',
  [`roles/${role}.yaml`]:
    `apiVersion: roster/v1\nkind: Role\nmetadata: {name: ${role}}\nspec:\n` +
    `  scope: namespace\n  rules:\n    - apiGroups: [""]\n      resources: [pods]\n      verbs: [get]\n`,
  ...Object.fromEntries(Array.from({ length: SHARED }, (_, i) => [`teams/shared${i}.yaml`, team(`shared${i}`)])),
  ...Object.fromEntries(Array.from({ length: dropped }, (_, i) => [`teams/gone${i}.yaml`, team(`gone${i}`)])),
});

async function bindings(): Promise<string[]> {
  const out: string[] = [];
  for (const ns of namespaces) out.push(...(await ownedBindings('east', ns, instance)));
  return out;
}
const shared = (names: string[]) => names.filter((n) => n.startsWith('roster:team:shared')).length;

describe('fault suite: leader loss during prune in roster serve', function () {
  this.timeout(300_000);
  let repo: TestRepo;
  const replicas: ServeProcess[] = [];
  const replica = (): ServeProcess => {
    const p = new ServeProcess(
      [
        '--repo',
        repo.dir,
        '--kubeconfig',
        controlPlane().kubeconfigPath,
        '--interval',
        '1h',
        '--webhook-secret-env',
        'HOOK',
        '--leader-elect',
        '--lease-cluster',
        'east',
        '--lease-namespace',
        namespaces[0]!,
        '--lease-name',
        leaseName,
      ],
      { HOOK: HOOK_SECRET },
    );
    replicas.push(p);
    return p;
  };
  const isLeader = async (p: ServeProcess) => sample(await p.metrics(), 'roster_leader') === 1;

  before(async () => {
    for (const ns of namespaces) await createNamespace('east', ns);
    repo = await TestRepo.create('roster-prune-leader-');
    await repo.commit(files(DROPPED), { message: 'shared and soon-dropped teams' });
  });

  after(async () => {
    await Promise.all(replicas.map((p) => p.kill()));
    await repo?.remove();
    await cleanUp(instance, namespaces);
  });

  it('the standby finishes the prune; shared grants are never missing', async () => {
    const a = replica();
    const b = replica();
    await Promise.all([a.started(), b.started()]);
    const full = (SHARED + DROPPED) * namespaces.length;
    await a.until('the first leader to apply everything', async () => (await bindings()).length === full, 60_000);
    await a.until('both replicas to know their role', async () => (await isLeader(a)) !== (await isLeader(b)));
    const [leader, standby] = (await isLeader(a)) ? [a, b] : [b, a];

    let polls = 0;
    let missing = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        if (shared(await bindings()) !== SHARED * namespaces.length) missing += 1;
        polls += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const drop = Object.fromEntries(Array.from({ length: DROPPED }, (_, i) => [`teams/gone${i}.yaml`, null]));
      await repo.commit(drop, { message: `drop ${DROPPED} teams` });
      const body = JSON.stringify({ ref: 'refs/heads/main' });
      const hook = await fetch(`http://127.0.0.1:${leader.port}/webhook`, {
        method: 'POST',
        body,
        headers: { 'X-Hub-Signature-256': githubSignature(body, HOOK_SECRET) },
      });
      assert.equal(hook.status, 202);
      // Kill the leader once its prune has begun and before it has finished.
      let left = full;
      const deadline = Date.now() + 60_000;
      while ((left = (await bindings()).length) === full && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      leader.signal('SIGKILL');
      await leader.exit;
      const atKill = (await bindings()).length;
      const killedAt = Date.now();
      const target = SHARED * namespaces.length;
      await standby.until(
        'the standby to lead and finish the prune',
        async () => (await bindings()).length === target,
        90_000,
      );
      console.log(
        `      leader loss: leader killed mid-prune with ${left}–${atKill} of ${full} bindings left ` +
          `(target ${target}); ` +
          `standby finished the prune ${Date.now() - killedAt} ms later; ` +
          `shared grants missing in ${missing} of ${polls} polls`,
      );
      assert.ok(atKill > target, `the kill landed before the prune finished (${atKill} left)`);
      assert.ok(await isLeader(standby));
    } finally {
      polling = false;
      await poller;
    }
    assert.equal(missing, 0, 'a grant both commits declare went missing');
  });
});

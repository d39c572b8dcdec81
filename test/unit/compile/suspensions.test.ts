import assert from 'node:assert/strict';
import { compile } from '../../../src/compile/index.js';
import type { Suspension } from '../../../src/model/types.js';
import { SUSPENDED_ANNOTATION } from '../../../src/resources/labels.js';
import { acmeModel, NOW, offlineFacts } from '../../support/models.js';

const suspension = (subjects: Partial<Suspension['subjects']>, expires?: string): Suspension => ({
  name: 'offboarding',
  reason: 'left the company',
  subjects: { users: [], groups: [], serviceAccounts: [], tokens: [], ...subjects },
  ...(expires ? { expires: new Date(expires) } : {}),
  source: { file: 'suspensions/offboarding.yaml', doc: 0, line: 1, col: 1 },
});

const subjectsNamed = (name: string) => (o: { subjects?: { name: string }[] }) =>
  (o.subjects ?? []).some((s) => s.name === name);

describe('compile with suspensions', () => {
  it('leaves a suspended user out of every binding on every cluster, and keeps the other members', () => {
    const model = { ...acmeModel(), suspensions: [suspension({ users: ['alice@example.com'] })] };
    const result = compile(model, offlineFacts(model), NOW);
    for (const state of result.clusters) {
      const objects = state.objects as { subjects?: { name: string }[] }[];
      assert.equal(objects.filter(subjectsNamed('alice@example.com')).length, 0, state.cluster);
      assert.equal(objects.filter(subjectsNamed('oidc:alice@example.com')).length, 0, state.cluster);
      assert.ok(objects.some(subjectsNamed('bob@example.com')) || objects.some(subjectsNamed('oidc:bob@example.com')));
      assert.ok(!state.access.some((e) => e.subject.name.endsWith('alice@example.com')));
    }
    assert.deepEqual(
      result.suspended.map((m) => `${m.holder.kind} ${m.holder.name}: ${m.kind} ${m.name} (${m.suspension})`),
      ['team payments: User alice@example.com (offboarding)'],
    );
  });

  it("leaves a suspended team member ServiceAccount out of every binding, and keeps the team's other members", () => {
    const model = { ...acmeModel(), suspensions: [suspension({ serviceAccounts: ['ci/deployer'] })] };
    const result = compile(model, offlineFacts(model), NOW);
    const plain = compile(acmeModel(), offlineFacts(model), NOW);
    assert.ok(
      plain.clusters.some((s) => (s.objects as { subjects?: { name: string }[] }[]).some(subjectsNamed('deployer'))),
    );
    for (const state of result.clusters) {
      const objects = state.objects as { subjects?: { name: string }[] }[];
      assert.equal(objects.filter(subjectsNamed('deployer')).length, 0, state.cluster);
      assert.ok(!state.access.some((e) => e.subject.kind === 'ServiceAccount' && e.subject.name === 'deployer'));
    }
    assert.ok(
      result.clusters.some((s) =>
        (s.objects as { subjects?: { name: string }[] }[]).some(subjectsNamed('bob@example.com')),
      ),
    );
    assert.deepEqual(
      result.suspended.map((m) => `${m.holder.kind} ${m.holder.name}: ${m.kind} ${m.name}`),
      ['team payments: ServiceAccount ci/deployer'],
    );
  });

  it('compiles as before once the suspension has ended (the clock decides, compile stays pure)', () => {
    const plain = compile(acmeModel(), [{ name: 'prod-eu' }], NOW);
    const ended = {
      ...acmeModel(),
      suspensions: [suspension({ users: ['alice@example.com'] }, '2026-02-01T00:00:00Z')],
    };
    const result = compile(ended, [{ name: 'prod-eu' }], NOW);
    assert.deepEqual(result.clusters, plain.clusters);
    assert.deepEqual(result.suspended, []);
    const later = compile(ended, [{ name: 'prod-eu' }], new Date('2026-01-15T00:00:00Z'));
    assert.equal(later.suspended.length, 1, 'in force before its end date');
  });

  it('says why a team whose every member is suspended compiles to nothing', () => {
    const model = { ...acmeModel(), suspensions: [suspension({ groups: ['platform'] })] };
    const state = compile(model, [{ name: 'prod-eu' }], NOW).clusters[0]!;
    const skipped = state.skipped.filter((s) => s.holder.name === 'platform');
    assert.ok(skipped.length > 0);
    assert.ok(skipped.every((s) => s.reason === 'suspended' && /every member of team platform/.test(s.detail)));
  });

  it("keeps a suspended token's ServiceAccount, marked, and binds it nowhere", () => {
    const model = acmeModel();
    const name = model.tokens[0]!.name;
    const suspended = { ...model, suspensions: [suspension({ tokens: [name] })] };
    let marked = 0;
    for (const state of compile(suspended, offlineFacts(model), NOW).clusters) {
      const sa = state.objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === name);
      const bound = state.objects.filter(subjectsNamed(name) as (o: unknown) => boolean);
      assert.equal(bound.length, 0, `${state.cluster}: bindings of a suspended token`);
      if (sa) assert.equal(sa.metadata.annotations?.[SUSPENDED_ANNOTATION], 'offboarding');
      if (sa) marked += 1;
    }
    assert.equal(marked, 1, 'the ServiceAccount stays on the cluster the token is granted on');
  });

  it('suspends a token named by its ServiceAccount in the token namespace too', () => {
    const model = acmeModel();
    const name = model.tokens[0]!.name;
    const bySa = {
      ...model,
      suspensions: [suspension({ serviceAccounts: [`${model.settings.tokenNamespace}/${name}`] })],
    };
    const result = compile(bySa, [{ name: 'prod-eu' }], NOW);
    assert.ok(result.suspended.some((m) => m.kind === 'AccessToken' && m.name === name));
  });
});

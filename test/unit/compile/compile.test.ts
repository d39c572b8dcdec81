import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { compile } from '../../../src/compile/index.js';
import { renderManifestsJson, renderYaml } from '../../../src/compile/render.js';
import type { CompileResult, DesiredState } from '../../../src/compile/types.js';
import { compareObjects } from '../../../src/resources/key.js';
import type { ManagedObject } from '../../../src/resources/types.js';
import { assertGolden } from '../../support/golden.js';
import { NOW, acmeFacts, acmeModel, offlineFacts, shuffle, shuffledModel } from '../../support/models.js';

function stateOf(result: CompileResult, cluster: string): DesiredState {
  const state = result.clusters.find((c) => c.cluster === cluster);
  assert.ok(state, `no desired state for ${cluster}`);
  return state;
}

/** Everything compile returns, as text: what the determinism tests compare. */
function allBytes(result: CompileResult): string {
  const objects = result.clusters.map((c) => `# ${c.cluster}\n${renderYaml(c.objects)}`).join('');
  return objects + JSON.stringify({ ...result, clusters: result.clusters.map((c) => ({ ...c, objects: [] })) });
}

describe('compile: golden output', () => {
  const result = compile(acmeModel(), acmeFacts(), NOW);

  for (const cluster of ['prod-eu', 'prod-us', 'staging-eu']) {
    it(`builds the manifests for ${cluster} as kubectl apply takes them`, () => {
      assertGolden(`compile/acme-${cluster}.yaml`, renderYaml(stateOf(result, cluster).objects));
    });
  }

  it('renders the same objects as a v1 List in JSON', () => {
    assertGolden('compile/acme-prod-us.json', renderManifestsJson(stateOf(result, 'prod-us').objects));
  });

  it('explains every grant that compiled to nothing, and lists upcoming expiries', () => {
    const skipped = result.clusters.flatMap((c) => c.skipped);
    assertGolden(
      'compile/acme-skipped-and-expiries.json',
      `${JSON.stringify({ skipped, expiries: result.expiries }, null, 2)}\n`,
    );
  });

  it('lists who holds which role where (the access view)', () => {
    assertGolden(
      'compile/acme-access-staging-eu.json',
      `${JSON.stringify(stateOf(result, 'staging-eu').access, null, 2)}\n`,
    );
  });

  it('builds offline manifests without touching patterns', () => {
    const offline = compile(acmeModel(), offlineFacts(acmeModel()), NOW);
    assertGolden('compile/acme-offline-prod-eu.yaml', renderYaml(stateOf(offline, 'prod-eu').objects));
  });

  it('sorts objects by kind order, namespace and name', () => {
    for (const state of result.clusters) assert.deepEqual(state.objects, [...state.objects].sort(compareObjects));
  });
});

describe('compile: determinism', () => {
  it('gives identical bytes when compiled twice', () => {
    assert.equal(allBytes(compile(acmeModel(), acmeFacts(), NOW)), allBytes(compile(acmeModel(), acmeFacts(), NOW)));
  });

  it('gives identical bytes whatever the order of teams, grants, members, roles, rules and facts', () => {
    const expected = allBytes(compile(acmeModel(), acmeFacts(), NOW));
    for (const seed of [1, 7, 42, 1234]) {
      const facts = shuffle(acmeFacts(), seed).map((f) => ({ ...f, namespaces: shuffle(f.namespaces ?? [], seed) }));
      assert.equal(allBytes(compile(shuffledModel(acmeModel(), seed), facts, NOW)), expected, `seed ${seed}`);
    }
  });

  it('does not modify the model or the facts it is given', () => {
    const model = acmeModel();
    const facts = acmeFacts();
    const before = JSON.stringify({ model, facts });
    compile(model, facts, NOW);
    assert.equal(JSON.stringify({ model, facts }), before);
  });

  it('compiles only the clusters it is given facts for, in name order', () => {
    const result = compile(acmeModel(), [{ name: 'staging-eu' }, { name: 'prod-eu' }], NOW);
    assert.deepEqual(
      result.clusters.map((c) => c.cluster),
      ['prod-eu', 'staging-eu'],
    );
  });

  it('refuses facts for a cluster the model does not declare', () => {
    assert.throws(() => compile(acmeModel(), [{ name: 'nowhere' }], NOW), {
      code: 'UsageError',
      message: /cluster nowhere: not declared/,
    });
  });

  it('refuses facts given twice for one cluster', () => {
    assert.throws(() => compile(acmeModel(), [{ name: 'prod-eu' }, { name: 'prod-eu' }], NOW), {
      code: 'UsageError',
      message: /facts given twice/,
    });
  });
});

describe('compile: the access view', () => {
  it('reads like plain data although it is derived on first read', () => {
    const state = compile(acmeModel(), acmeFacts(), NOW).clusters[0]!;
    assert.deepEqual(Object.keys(state), ['cluster', 'instance', 'objects', 'access', 'skipped']);
    assert.ok(state.access.length > 0);
    assert.equal(state.access, state.access, 'computed once');
    assert.deepEqual(
      (JSON.parse(JSON.stringify(state)) as typeof state).access,
      JSON.parse(JSON.stringify(state.access)),
    );
    state.access = [];
    assert.deepEqual({ ...state }.access, []);
  });
});

describe('compile: rendering', () => {
  const namespace = (name: string): ManagedObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  it('quotes names YAML 1.1 (kubectl) or 1.2 would read as booleans or numbers', () => {
    const text = renderYaml(['no', 'on', 'y', '0o17', '1e3', '0777', 'payments'].map(namespace));
    const names = [...text.matchAll(/name: (.*)/g)].map((m) => m[1]);
    assert.deepEqual(names, ['"no"', '"on"', '"y"', '"0o17"', '"1e3"', '"0777"', 'payments']);
    for (const version of ['1.1', '1.2'] as const) {
      const parsed = parseAllDocuments(text, { version }).map(
        (d) => (d.toJS() as { metadata: { name: unknown } }).metadata.name,
      );
      assert.deepEqual(parsed, ['no', 'on', 'y', '0o17', '1e3', '0777', 'payments'], `YAML ${version}`);
    }
  });

  it('separates documents with --- and renders JSON as a v1 List', () => {
    assert.equal(
      renderYaml([namespace('a'), namespace('b')]),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n' +
        '  name: b\n',
    );
    assert.deepEqual(JSON.parse(renderManifestsJson([namespace('a')])), {
      apiVersion: 'v1',
      kind: 'List',
      items: [namespace('a')],
    });
  });
});

describe('compile: provenance', () => {
  it('annotates every object with its source files and, once known, the commit', () => {
    const model = { ...acmeModel(), commit: '0123456789abcdef0123456789abcdef01234567' };
    const state = compile(model, acmeFacts(), NOW).clusters[0]!;
    for (const object of state.objects) {
      assert.equal(object.metadata.annotations?.['roster.dev/commit'], model.commit);
      assert.deepEqual(Object.keys(object.metadata.labels ?? {}).slice(0, 2), [
        'app.kubernetes.io/managed-by',
        'roster.dev/instance',
      ]);
    }
    const builtin = state.objects.find((o) => o.metadata.name === 'roster:editor')!;
    assert.deepEqual(
      Object.keys(builtin.metadata.annotations ?? {}),
      ['roster.dev/commit'],
      'built-in roles come from no file',
    );
  });
});

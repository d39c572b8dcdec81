import assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { diffOwned } from '../../../src/reconcile/diff.js';
import { normalizePair } from '../../../src/reconcile/normalize.js';
import { ownedYaml } from '../../../src/reconcile/owned-yaml.js';
import { pairObjects } from '../../../src/reconcile/pair.js';
import { formatKey } from '../../../src/resources/key.js';
import type { ManagedObject } from '../../../src/resources/types.js';
import { asLive, binding } from './objects.js';

const OPTIONS = { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false } as const;

/** A seeded generator (mulberry32), so a failure is the same failure on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings that are mostly names, sometimes YAML's hard cases (keywords, numbers, indicators, spaces, unicode). */
const SPECIAL = ['', 'true', 'False', 'NULL', 'null', 'yes', 'no', '~', '123', '0x1f', '1e3', '.inf', '-.5', 'NaN'];
const NAME_CHARS = 'abzAZ09_./@+-:';
const ANY_CHARS = `${NAME_CHARS} #&*!|>'"%\`{}[],?=~\\\t\né`;
function text(next: () => number, chars = NAME_CHARS): string {
  if (next() < 0.02) return SPECIAL[Math.floor(next() * SPECIAL.length)]!;
  const length = 1 + Math.floor(next() * 10);
  let s = 'abcXYZ'[Math.floor(next() * 6)]!;
  for (let i = 1; i < length; i++) s += chars[Math.floor(next() * chars.length)];
  return next() < 0.1 ? s.slice(1) : s;
}
function fields(next: () => number): object {
  const list = () => Array.from({ length: Math.floor(next() * 3) }, () => text(next));
  const map = () => Object.fromEntries(Array.from({ length: Math.floor(next() * 3) }, () => [text(next), text(next)]));
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: text(next),
    metadata: { name: text(next), namespace: text(next), labels: map(), annotations: map() },
    rules: Array.from({ length: Math.floor(next() * 3) }, () => ({ apiGroups: list(), verbs: list() })),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: text(next) },
    subjects: Array.from({ length: Math.floor(next() * 3) }, () => ({ kind: 'User', name: text(next) })),
  };
}

describe('owned-yaml: owned fields as YAML without the library', () => {
  it('writes exactly what yaml.stringify writes, or leaves it to the library', () => {
    const next = random(16);
    let written = 0;
    for (let i = 0; i < 5000; i++) {
      const value = fields(next);
      const mine = ownedYaml(value);
      if (mine === undefined) continue;
      written++;
      assert.equal(mine, stringify(value, OPTIONS), JSON.stringify(value));
    }
    assert.ok(written > 300, `only ${written} of 5000 written without the library: the fast path is not exercised`);
  });

  it('writes a single string exactly as yaml.stringify does, or leaves it to the library', () => {
    const next = random(120);
    for (let i = 0; i < 20000; i++) {
      const value = { [text(next)]: text(next, ANY_CHARS) };
      const mine = ownedYaml(value);
      if (mine !== undefined) assert.equal(mine, stringify(value, OPTIONS), JSON.stringify(value));
    }
  });

  it('writes a typical binding and role itself', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'roster:viewer', labels: { 'app.kubernetes.io/managed-by': 'roster' } },
      rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }],
    };
    const [pair] = pairObjects([binding('roster:team:payments:editor', 'payments', ['alice@example.com'])], []);
    for (const value of [role, normalizePair(pair!.desired, undefined).desired!]) {
      assert.equal(ownedYaml(value), stringify(value, OPTIONS));
    }
  });

  it('leaves strings that need quoting to the library', () => {
    for (const s of ['true', '123', 'a: b', 'x:', '#x', ' x', 'a\nb', '*x', 'é'])
      assert.equal(ownedYaml({ name: s }), undefined, s);
  });
});

describe('diff: created and pruned objects', () => {
  it('gives the diff library’s bytes for an all-added or all-removed object', () => {
    const obj = binding('roster:team:payments:editor', 'payments', ['alice@example.com', 'ops']) as ManagedObject;
    const [create] = pairObjects([obj], []);
    const [prune] = pairObjects([], [asLive(obj)]);
    for (const pair of [create!, prune!]) {
      const owned = normalizePair(pair.desired, pair.live);
      const yaml = (f: object | undefined) => (f ? stringify(f, OPTIONS) : '');
      const ref = formatKey(pair.key);
      const expected = createTwoFilesPatch(
        `live/${ref}`,
        `desired/${ref}`,
        yaml(owned.live),
        yaml(owned.desired),
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, '');
      assert.equal(diffOwned(pair), expected);
    }
  });
});

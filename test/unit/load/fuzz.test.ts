/**
 * Property-based fuzz of load + validate over the example repository (fast-check): every mutation — dropped,
 * repeated and swapped lines, truncation, type swaps, duplicate keys, aliases (bombs, unresolved, across
 * documents), invalid UTF-8, huge lines, deep nesting, stray unicode — must end in a model or in diagnostics,
 * never in an exception, each case quickly, and every error must point at a file and a line.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadFiles } from '../../../src/load/parse.js';
import { readRepoDir } from '../../../src/load/dir.js';
import type { LoadedDocument, RepoFile } from '../../../src/load/types.js';
import { validate } from '../../../src/validate/index.js';
import type { Diagnostic } from '../../../src/diagnostics.js';

const RUNS = Number(process.env.ROSTER_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.ROSTER_FUZZ_SEED ?? 11);
/** A date at which the example validates cleanly (its tokens are within their maximum lifetime). */
const NOW = new Date('2026-12-01T00:00:00Z');
/** Far above the slowest case seen (a few ms): a case this slow is a hang in the making. */
const CASE_BUDGET_MS = 1500;

type Mutate = (text: string, n: number, s: string) => string;

const lines = (t: string) => t.split('\n');
const at = (t: string, n: number) => n % Math.max(1, lines(t).length);
const onLine = (t: string, n: number, f: (line: string) => string[]): string => {
  const ls = lines(t);
  const i = at(t, n);
  ls.splice(i, 1, ...f(ls[i] ?? ''));
  return ls.join('\n');
};
const valueSwaps = [
  '[x]',
  '{}',
  '123',
  'true',
  'null',
  '~',
  '"',
  "'a",
  '-1e309',
  '0x1F',
  '2026-01-01',
  '|',
  '>-',
  '!!binary AA',
];

const MUTATIONS: Record<string, Mutate> = {
  dropLine: (t, n) => onLine(t, n, () => []),
  repeatLine: (t, n) => onLine(t, n, (l) => [l, l]),
  swapLines: (t, n) => {
    const ls = lines(t);
    const i = at(t, n);
    const j = at(t, n >> 3);
    [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    return ls.join('\n');
  },
  truncate: (t, n) => t.slice(0, n % (t.length + 1)),
  insertText: (t, n, s) => t.slice(0, n % (t.length + 1)) + s + t.slice(n % (t.length + 1)),
  swapValue: (t, n) => onLine(t, n, (l) => [l.replace(/:\s.*$/, `: ${valueSwaps[n % valueSwaps.length]}`)]),
  duplicateKey: (t, n) => onLine(t, n, (l) => (l.includes(':') ? [l, l.replace(/:.*$/, ': 2')] : [l])),
  indent: (t, n) => onLine(t, n, (l) => [' '.repeat((n % 5) + 1) + l]),
  unresolvedAlias: (t, n) => onLine(t, n, (l) => [l.replace(/:\s.*$/, ': *nope')]),
  anchorAcrossDocuments: (t, n) => `x: &a [1]\n---\n${onLine(t, n, (l) => [l.replace(/:\s.*$/, ': *a')])}`,
  aliasBomb: (t) => {
    const level = (name: string, prev: string) => `${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`;
    const levels = [1, 2, 3, 4, 5].map((i) => level(`b${i}`, `b${i - 1}`)).join('\n');
    return `${t}\nb0: &b0 [x,x,x,x,x,x,x,x,x,x]\n${levels}\n`;
  },
  invalidUtf8: (t, n) =>
    t.slice(0, n % (t.length + 1)) + Buffer.from([0xc3, 0x28, 0xff]).toString('utf8') + t.slice(n % (t.length + 1)),
  // Long (fast to parse) or past the size limit (refused before parsing); the limit itself is tested in hostile.test.
  hugeLine: (t, n) => onLine(t, n, (l) => [l + 'x'.repeat(n % 2 ? 20_000 : 1_100_000)]),
  deepNesting: (t, n) => onLine(t, n, (l) => [l.replace(/:\s.*$/, `: ${'['.repeat((n % 3000) + 1)}`)]),
  documentSeparator: (t, n) => onLine(t, n, (l) => ['---', l]),
  unicode: (t, n, s) => onLine(t, n, (l) => [l.replace(/:\s(.*)$/, `: ${s}$1`)]),
};

const mutation = fc.record({
  file: fc.nat(),
  name: fc.constantFrom(...Object.keys(MUTATIONS)),
  n: fc.nat(),
  s: fc.oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.constantFrom('\u0000', '\t', '\r', '\u2028', '#', '&', '*', '!', '%', '@', '`', '{', '}'),
  ),
});

describe('load + validate fuzz (fast-check)', function () {
  this.timeout(600_000);
  let pristine: RepoFile[];
  const cache = new Map<string, { documents: LoadedDocument[]; diagnostics: Diagnostic[] }>();

  before(async () => {
    pristine = await readRepoDir('examples/acme');
    for (const f of pristine) cache.set(f.path, loadFiles([f]));
    const clean = validate(
      [...cache.values()].flatMap((l) => l.documents),
      { now: NOW },
    );
    assert.ok(clean.model && clean.diagnostics.length === 0, 'the unmutated example validates');
  });

  it(`survives ${RUNS} mutations of examples/acme: no crash, no hang, every error at file:line`, () => {
    let rejected = 0;
    let slowest = 0;
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (muts) => {
        const files = pristine.map((f) => ({ ...f }));
        const touched = new Set<number>();
        for (const m of muts) {
          const i = m.file % files.length;
          files[i]!.text = MUTATIONS[m.name]!(files[i]!.text, m.n, m.s);
          touched.add(i);
        }
        const started = performance.now();
        // validateRepo's pipeline; files left alone are loaded once (parsing dominates on a loaded machine).
        const loaded = files.map((f, i) => (touched.has(i) ? loadFiles([f]) : cache.get(f.path)!));
        const result = validate(
          loaded.flatMap((l) => l.documents),
          { now: NOW },
        );
        const diagnostics = [...loaded.flatMap((l) => l.diagnostics), ...result.diagnostics];
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        assert.ok(ms < CASE_BUDGET_MS, `${ms.toFixed(0)} ms for ${JSON.stringify(muts).slice(0, 200)}`);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) rejected += 1;
        for (const d of errors) {
          codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
          assert.ok(
            files.some((f) => f.path === d.file),
            `diagnostic without a file: ${JSON.stringify(d)}`,
          );
          assert.ok(d.line >= 1 && d.col >= 1, `diagnostic without a line: ${JSON.stringify(d)}`);
        }
        assert.ok(errors.length > 0 || result.model, 'neither a model nor an error');
      }),
      { numRuns: RUNS, seed: SEED },
    );
    const top = [...codes].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(
      `      fuzz: ${RUNS} cases (seed ${SEED}), ${rejected} rejected with diagnostics, ${RUNS - rejected} accepted, ` +
        `0 crashes; slowest case ${slowest.toFixed(0)} ms; top codes ${top.map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
  });
});

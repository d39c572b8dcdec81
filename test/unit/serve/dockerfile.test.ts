/**
 * There is no Docker engine in CI and no Dockerfile linter installs here, so the image recipe is checked by
 * reading it: multi-stage, the build stage runs the very commands CI runs, the runtime stage is non-root and
 * carries only what `roster` needs, and no secret is baked in.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths.js';

interface Instruction {
  op: string;
  args: string;
}

interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** Comments dropped, `\` continuations joined, one instruction per entry. */
function parseDockerfile(text: string): Stage[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  const instructions = joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const [from = '', as, name] = ins.args.split(' ');
      stages.push({ from, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), steps: [] });
    } else {
      assert.ok(stages.length > 0, `${ins.op} before the first FROM`);
      stages.at(-1)!.steps.push(ins);
    }
  }
  return stages;
}

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');
const stages = parseDockerfile(read('Dockerfile'));
const args = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op).map((s) => s.args);

describe('Dockerfile', () => {
  const build = stages[0]!;
  const runtime = stages.at(-1)!;

  it('has a build stage and a separate runtime stage on node:20-bookworm-slim', () => {
    assert.equal(stages.length, 2);
    assert.deepEqual([build.from, build.name], ['node:20-bookworm-slim', 'build']);
    assert.equal(runtime.from, 'node:20-bookworm-slim');
  });

  it('builds with exactly the install and build commands CI runs, then drops dev dependencies', () => {
    const ciInstall = read('.ci/run')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('npm ci'));
    assert.ok(ciInstall, '.ci/run installs with npm ci');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.test ?? '', /(^|&& )npm run build &&/, 'CI builds through `npm test` → `npm run build`');
    assert.deepEqual(args(build, 'RUN'), [ciInstall, 'npm run build', 'npm prune --omit=dev']);
  });

  it('copies into the build stage everything `npm ci` (prepare → npm run build) compiles and runs', () => {
    const tsconfig = JSON.parse(read('tsconfig.json')) as { include: string[] };
    const copied = args(build, 'COPY').flatMap((a) => a.split(' ').slice(0, -1));
    for (const pattern of tsconfig.include)
      assert.ok(
        copied.includes(pattern.split('/')[0]!),
        `tsconfig includes ${pattern} but the build stage does not copy it`,
      );
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const [, script] of (pkg.scripts.build ?? '').matchAll(/node (\S+)/g))
      assert.ok(copied.includes(script!.split('/')[0]!), `npm run build runs ${script} but the build stage lacks it`);
    for (const file of copied) assert.ok(existsSync(join(repoRoot, file)), `COPY ${file}: no such file`);
  });

  it('runs as the numeric non-root user 65532', () => {
    const users = args(runtime, 'USER');
    assert.deepEqual(users, ['65532:65532']);
    const lastUser = runtime.steps.map((s) => s.op).lastIndexOf('USER');
    assert.ok(
      !runtime.steps.slice(lastUser).some((s) => s.op === 'RUN'),
      'no RUN after switching to the non-root user',
    );
  });

  it('ships only package.json, production node_modules, schemas and dist/src, and starts `roster serve`', () => {
    const sources = args(runtime, 'COPY').map((a) => {
      assert.match(a, /^--from=build /, `runtime COPY not from the build stage: ${a}`);
      return a.split(' ')[1];
    });
    assert.deepEqual(sources.sort(), ['/app/dist/src', '/app/node_modules', '/app/package.json', '/app/schemas']);
    assert.deepEqual(JSON.parse(args(runtime, 'ENTRYPOINT')[0]!), ['node', 'dist/src/cli/bin.js']);
    assert.deepEqual(JSON.parse(args(runtime, 'CMD')[0]!), ['serve']);
    assert.ok(existsSync(join(repoRoot, 'dist/src/cli/bin.js')), 'the entrypoint is what `npm run build` produces');
  });

  it('bakes in no secret: no credential-like ENV or ARG, no .npmrc, and .dockerignore keeps local state out', () => {
    for (const stage of stages) {
      for (const value of [...args(stage, 'ENV'), ...args(stage, 'ARG')])
        assert.doesNotMatch(value, /token|secret|password|kubeconfig|npm_?auth/i, value);
      for (const value of args(stage, 'COPY')) assert.doesNotMatch(value, /\.npmrc|kubeconfig|\.env/);
    }
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.git', 'node_modules', 'dist', '.cache', '.npmrc', '.env'])
      assert.ok(ignored.includes(entry), `.dockerignore lacks ${entry}`);
  });
});

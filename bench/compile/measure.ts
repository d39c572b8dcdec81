/** One benchmark run at one scale, in the current process: generate, then time each stage. */

import { performance } from 'node:perf_hooks';
import { compile } from '../../src/compile/index.js';
import { loadFiles } from '../../src/load/index.js';
import type { Model } from '../../src/model/types.js';
import type { RepoFile } from '../../src/load/types.js';
import { syntheticRepo } from './generate.js';

export interface Measurement {
  scale: number;
  teams: number;
  bindings: number;
  objects: number;
  loadMs: number;
  /** null while src/validate has no `validateRepo`. */
  validateMs: number | null;
  compileMs: number;
  totalMs: number;
  maxRssMiB: number;
}

type ValidateRepo = (files: RepoFile[], opts: { now: Date }) => { model?: Model } | Promise<{ model?: Model }>;

/** The validation engineer's entry point, when it exists; the bench measures compile alone until then. */
async function findValidate(): Promise<ValidateRepo | undefined> {
  const path = '../../src/validate/index.js';
  try {
    const mod = (await import(path)) as { validateRepo?: ValidateRepo };
    return mod.validateRepo;
  } catch {
    return undefined;
  }
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, Math.round(performance.now() - start)];
}

export async function measure(scale: number): Promise<Measurement> {
  const now = new Date();
  const repo = syntheticRepo(scale, now);
  const validateRepo = await findValidate();
  const [, loadMs] = timed(() => loadFiles(repo.files));
  let model = repo.model;
  let validateMs: number | null = null;
  if (validateRepo) {
    const start = performance.now();
    const validated = await validateRepo(repo.files, { now });
    validateMs = Math.round(performance.now() - start);
    if (!validated.model) throw new Error('the synthetic repo did not validate');
    model = validated.model;
  }
  const [result, compileMs] = timed(() => compile(model, repo.facts, now));
  const objects = result.clusters.flatMap((c) => c.objects);
  return {
    scale,
    teams: model.teams.length,
    bindings: objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding').length,
    objects: objects.length,
    loadMs,
    validateMs,
    compileMs,
    totalMs: (validateMs ?? loadMs) + compileMs,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

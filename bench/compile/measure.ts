/** One benchmark run at one scale, in the current process: generate the repo, then time each stage. */

import { performance } from 'node:perf_hooks';
import { compile } from '../../src/compile/index.js';
import { loadFiles } from '../../src/load/index.js';
import type { Model } from '../../src/model/types.js';
import type { RepoFile } from '../../src/load/types.js';
import { syntheticRepo } from './generate.js';

export interface Stage {
  ms: number;
  /** CPU time (user + system, all threads incl. GC helpers): a steadier figure on a shared machine. */
  cpuMs: number;
}

export interface Measurement {
  scale: number;
  teams: number;
  bindings: number;
  objects: number;
  /** validateRepo (parse + validate); only parse while src/validate has no `validateRepo`. */
  validate: Stage & { parseOnly: boolean };
  compile: Stage;
  /** First read of every cluster's access view, which compile derives lazily (views only, not apply). */
  access: Stage;
  maxRssMiB: number;
}

type ValidateRepo = (files: RepoFile[], opts: { now: Date }) => { model?: Model };

/** The validation engineer's entry point, when present; until then the bench measures parse + compile. */
async function findValidate(): Promise<ValidateRepo | undefined> {
  const path = '../../src/validate/index.js';
  try {
    return ((await import(path)) as { validateRepo?: ValidateRepo }).validateRepo;
  } catch {
    return undefined;
  }
}

function stage<T>(fn: () => T): [T, Stage] {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const ms = Math.round(performance.now() - start);
  const used = process.cpuUsage(cpu);
  return [value, { ms, cpuMs: Math.round((used.user + used.system) / 1000) }];
}

export async function measure(scale: number): Promise<Measurement> {
  const now = new Date();
  const repo = syntheticRepo(scale, now);
  const validateRepo = await findValidate();
  let model = repo.model;
  let validate: Stage;
  if (validateRepo) {
    const [validated, timing] = stage(() => validateRepo(repo.files, { now }));
    if (!validated.model) throw new Error('the synthetic repo did not validate');
    [model, validate] = [validated.model, timing];
  } else {
    validate = stage(() => loadFiles(repo.files))[1];
  }
  const [result, compileStage] = stage(() => compile(model, repo.facts, now));
  const [, access] = stage(() => result.clusters.reduce((n, c) => n + c.access.length, 0));
  const objects = result.clusters.flatMap((c) => c.objects);
  return {
    scale,
    teams: model.teams.length,
    bindings: objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding').length,
    objects: objects.length,
    validate: { ...validate, parseOnly: !validateRepo },
    compile: compileStage,
    access,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

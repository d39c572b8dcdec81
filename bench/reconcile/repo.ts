/**
 * The synthetic config repository of the reconcile benchmarks: TEAMS teams, each granted one role in 5 namespaces,
 * one file per team, committed with the git command line, so Roster reads it the way users run it: from a commit
 * (isomorphic-git), not from a folder.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NAMESPACES = 100;
export const GRANTS_PER_TEAM = 5;
export const ROLE = 'bench-reader';
export const INSTANCE = 'bench';

export function namespaceName(i: number): string {
  return `bench-${String(i).padStart(3, '0')}`;
}

/** Team i is granted the role in namespaces 5i … 5i+4 (mod 100): every (team, namespace) pair is distinct. */
function teamYaml(i: number): string {
  const namespaces = Array.from({ length: GRANTS_PER_TEAM }, (_, g) =>
    namespaceName((i * GRANTS_PER_TEAM + g) % NAMESPACES),
  );
  return [
    'apiVersion: roster/v1',
    'kind: Team',
    `metadata: {name: team-${String(i).padStart(4, '0')}}`,
    'spec:',
    `  members: {users: [user-${i}@example.com], groups: [group-${i}]}`,
    `  grants: [{role: ${ROLE}, namespaces: [${namespaces.join(', ')}]}]`,
    '',
  ].join('\n');
}

/** Settings, the role, and one Cluster per (name, kubeconfig context). */
function settingsYaml(clusters: readonly string[]): string {
  const declared = clusters.map(
    (c) => `---\napiVersion: roster/v1\nkind: Cluster\nmetadata: {name: ${c}}\nspec: {context: ${c}}\n`,
  );
  return `apiVersion: roster/v1
kind: Settings
metadata: {name: roster}
spec:
  instance: ${INSTANCE}
  prune: {enabled: true, maxPercent: 25}
${declared.join('')}---
apiVersion: roster/v1
kind: Role
metadata: {name: ${ROLE}}
spec:
  scope: namespace
  rules: [{apiGroups: [""], resources: [pods, services, configmaps], verbs: [get, list, watch]}]
`;
}

const teamFile = (i: number) => join('teams', `team-${String(i).padStart(4, '0')}.yaml`);

function git(dir: string, ...args: string[]): string {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' };
  const who = ['-c', 'user.name=Roster Bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false'];
  return execFileSync('git', [...who, ...args], { cwd: dir, env, encoding: 'utf8' }).trim();
}

/** A Git repository in `dir` whose HEAD commit holds `teams` team files and a Cluster per entry of `clusters`. */
export function writeRepo(dir: string, teams: number, clusters: readonly string[]): string {
  mkdirSync(join(dir, 'teams'), { recursive: true });
  writeFileSync(join(dir, 'roster.yaml'), settingsYaml(clusters));
  for (let i = 0; i < teams; i++) writeFileSync(join(dir, teamFile(i)), teamYaml(i));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `${teams} teams`);
  return git(dir, 'rev-parse', 'HEAD');
}

/** A new commit on top: the last `removed` team files deleted and `changed` teams given one more member. */
export function commitChange(dir: string, teams: number, opts: { removed: number; changed: number }): string {
  for (let i = teams - opts.removed; i < teams; i++) rmSync(join(dir, teamFile(i)));
  for (let i = 0; i < opts.changed; i++)
    writeFileSync(
      join(dir, teamFile(i)),
      teamYaml(i).replace(`[user-${i}@example.com]`, `[user-${i}@example.com, extra-${i}@example.com]`),
    );
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `remove ${opts.removed} teams, change ${opts.changed}`);
  return git(dir, 'rev-parse', 'HEAD');
}

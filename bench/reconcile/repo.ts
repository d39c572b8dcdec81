/** The synthetic config repository of the reconcile benchmark: TEAMS teams, each granted one role in 5 namespaces. */

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NAMESPACES = 100;
export const GRANTS_PER_TEAM = 5;
export const ROLE = 'bench-reader';
export const INSTANCE = 'bench';
export const CLUSTER = 'bench';

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

const SETTINGS = `apiVersion: roster/v1
kind: Settings
metadata: {name: roster}
spec:
  instance: ${INSTANCE}
  prune: {enabled: true, maxPercent: 25}
---
apiVersion: roster/v1
kind: Cluster
metadata: {name: ${CLUSTER}}
spec: {context: ${CLUSTER}}
---
apiVersion: roster/v1
kind: Role
metadata: {name: ${ROLE}}
spec:
  scope: namespace
  rules: [{apiGroups: [""], resources: [pods, services, configmaps], verbs: [get, list, watch]}]
`;

/** Writes the repo with `teams` teams (one file each) into a fresh temp dir and returns it. */
export function writeRepo(teams: number, dir = mkdtempSync(join(tmpdir(), 'roster-bench-'))): string {
  mkdirSync(join(dir, 'teams'), { recursive: true });
  writeFileSync(join(dir, 'roster.yaml'), SETTINGS);
  for (let i = 0; i < teams; i++)
    writeFileSync(join(dir, 'teams', `team-${String(i).padStart(4, '0')}.yaml`), teamYaml(i));
  return dir;
}

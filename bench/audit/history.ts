/**
 * A synthetic config history for the audit benchmark: 200 team files, 3 clusters, a few roles, and N commits
 * written straight as Git objects (blob → trees → commit) with isomorphic-git, so generating 1,000 commits takes
 * seconds. Most commits edit one team; every 10th touches only a README (config unchanged); every 50th edits a
 * role (every holder recompiles); some grants carry time windows.
 */

import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { compareCodeUnits } from '../../src/compare.js';
import { formatTime } from '../../src/time.js';

export interface HistoryShape {
  teams: number;
  commits: number;
}

type Tree = Map<string, string>;

const START = Date.parse('2024-01-01T00:00:00Z') / 1000;
const AUTHORS = ['Ada Admin <ada@example.com>', 'Ben Builder <ben@example.com>', 'Cy Security <cy@example.com>'];

export async function generateHistory(shape: HistoryShape): Promise<{ dir: string; head: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-audit-'));
  await git.init({ fs, dir, defaultBranch: 'main' });
  const teams = new Map<string, string>();
  for (let i = 0; i < shape.teams; i++) teams.set(`team-${pad(i)}.yaml`, teamYaml(i, 0));
  const fixed = new Map([
    ['roster.yaml', SETTINGS],
    ['clusters.yaml', CLUSTERS],
    ['roles.yaml', rolesYaml(0)],
  ]);
  let readme = 0;
  let parent: string | undefined;
  for (let c = 0; c < shape.commits; c++) {
    let message: string;
    if (c > 0 && c % 10 === 0) message = `Docs update ${++readme}`;
    else if (c > 0 && c % 50 === 1) {
      fixed.set('roles.yaml', rolesYaml(c));
      message = `Tune roles (${c})`;
    } else {
      const t = (c * 37) % shape.teams;
      teams.set(`team-${pad(t)}.yaml`, teamYaml(t, c));
      message = `Update team-${pad(t)}`;
    }
    const tree = await writeRoot(dir, fixed, teams, readme);
    parent = await writeCommit(dir, tree, parent, message, c);
  }
  await git.writeRef({ fs, dir, ref: 'refs/heads/main', value: parent ?? '', force: true });
  return { dir, head: parent ?? '' };
}

async function writeRoot(dir: string, fixed: Tree, teams: Tree, readme: number): Promise<string> {
  const teamTree = await writeTree(dir, teams);
  const configEntries = await entries(dir, fixed);
  configEntries.push({ mode: '040000', path: 'teams', oid: teamTree, type: 'tree' });
  const config = await git.writeTree({ fs, dir, tree: configEntries });
  const readmeBlob = await blob(dir, `# Access config\n\nrevision ${readme}\n`);
  return git.writeTree({
    fs,
    dir,
    tree: [
      { mode: '100644', path: 'README.md', oid: readmeBlob, type: 'blob' },
      { mode: '040000', path: 'config', oid: config, type: 'tree' },
    ],
  });
}

async function writeTree(dir: string, files: Tree): Promise<string> {
  return git.writeTree({ fs, dir, tree: await entries(dir, files) });
}

const blobs = new Map<string, string>();
async function blob(dir: string, text: string): Promise<string> {
  let oid = blobs.get(text);
  if (!oid) blobs.set(text, (oid = await git.writeBlob({ fs, dir, blob: Buffer.from(text) })));
  return oid;
}

async function entries(
  dir: string,
  files: Tree,
): Promise<Array<{ mode: string; path: string; oid: string; type: 'blob' | 'tree' }>> {
  const out = [];
  for (const [path, text] of [...files].sort(([a], [b]) => compareCodeUnits(a, b)))
    out.push({ mode: '100644', path, oid: await blob(dir, text), type: 'blob' as const });
  return out;
}

async function writeCommit(
  dir: string,
  tree: string,
  parent: string | undefined,
  message: string,
  c: number,
): Promise<string> {
  const [name, email] = (AUTHORS[c % AUTHORS.length] ?? '').split(/ <|>/);
  const person = { name: name ?? '', email: email ?? '', timestamp: START + c * 3600, timezoneOffset: 0 };
  return git.writeCommit({
    fs,
    dir,
    commit: { message: `${message}\n`, tree, parent: parent ? [parent] : [], author: person, committer: person },
  });
}

const pad = (n: number): string => String(n).padStart(3, '0');

const SETTINGS =
  'apiVersion: roster/v1\nkind: Settings\nmetadata: {name: roster}\nspec: {instance: bench, maxTokenLifetime: 90d}\n';
const CLUSTERS = [
  ['prod-eu', 'prod'],
  ['prod-us', 'prod'],
  ['staging-eu', 'staging'],
]
  .map(
    ([name, env]) =>
      `apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: ${name}, labels: {env: ${env}}}\n` +
      `spec: {context: ${name}}\n`,
  )
  .join('---\n');

function rolesYaml(rev: number): string {
  const verbs = rev % 100 === 1 ? 'get, list, watch, update' : 'get, list, watch';
  return (
    `apiVersion: roster/v1\nkind: Role\nmetadata: {name: deployer}\nspec:\n  scope: namespace\n` +
    `  extends: [viewer]\n  rules:\n    - {apiGroups: [apps], resources: [deployments], verbs: [${verbs}]}\n`
  );
}

/** Team i at revision rev: members and grants shift with rev so consecutive versions differ. */
function teamYaml(i: number, rev: number): string {
  const users = [0, 1, 2].map((k) => `u${(i * 3 + k + rev) % 900}@example.com`);
  const windowed = rev % 7 === 3 ? `, expires: ${formatTime(new Date((START + rev * 3600 + 5 * 3600) * 1000))}` : '';
  return [
    'apiVersion: roster/v1',
    'kind: Team',
    `metadata: {name: team-${pad(i)}}`,
    'spec:',
    `  members: {users: [${users.join(', ')}], groups: [team-${pad(i)}-eng]}`,
    '  grants:',
    `    - {role: viewer, namespaces: [team-${pad(i)}, "team-${pad(i)}-*"]}`,
    `    - {role: ${rev % 2 === 0 ? 'editor' : 'deployer'}, namespaces: [team-${pad(i)}], clusters: ` +
      `{matchLabels: {env: staging}}${windowed}}`,
    '',
  ].join('\n');
}

/** The synthetic model written out as config files, with template strings (fast, and exactly the documented format). */

import type { Grant, Model } from '../../src/model/types.js';
import type { RepoFile } from '../../src/load/types.js';
import { formatTime } from '../../src/time.js';

const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
const map = (record: Readonly<Record<string, string>>) =>
  `{${Object.entries(record)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(', ')}}`;

function header(kind: string, name: string, labels?: Readonly<Record<string, string>>): string {
  const meta = labels ? `{name: ${name}, labels: ${map(labels)}}` : `{name: ${name}}`;
  return `apiVersion: roster/v1\nkind: ${kind}\nmetadata: ${meta}\nspec:\n`;
}

function grantYaml(g: Grant): string {
  const clusters =
    'all' in g.clusters
      ? ''
      : 'names' in g.clusters
        ? `{names: ${list(g.clusters.names)}}`
        : `{matchLabels: ${map(g.clusters.matchLabels)}}`;
  let out = `    - role: ${g.role}\n`;
  if (g.namespaces.length > 0) out += `      namespaces: ${list(g.namespaces)}\n`;
  if (clusters) out += `      clusters: ${clusters}\n`;
  if (g.expires) out += `      expires: ${formatTime(g.expires)}\n`;
  return out;
}

export function toFiles(model: Model): RepoFile[] {
  const s = model.settings;
  const files: RepoFile[] = [
    {
      path: 'roster.yaml',
      text: `${header('Settings', 'roster')}  instance: ${s.instance}\n  tokenNamespace: ${s.tokenNamespace}\n`,
    },
  ];
  for (const c of model.clusters) {
    files.push({
      path: c.source.file,
      text:
        `${header('Cluster', c.name, c.labels)}  context: ${c.context}\n  userPrefix: "${c.userPrefix}"\n` +
        `  groupPrefix: "${c.groupPrefix}"\n`,
    });
  }
  for (const r of model.roles) {
    const rules = r.rules
      .map(
        (rule) =>
          `    - {apiGroups: ${list(rule.apiGroups ?? [])}, resources: ${list(rule.resources ?? [])}, verbs: ` +
          `${list(rule.verbs)}}\n`,
      )
      .join('');
    files.push({
      path: r.source.file,
      text: `${header('Role', r.name)}  scope: ${r.scope}\n  extends: ${list(r.extends)}\n  rules:\n${rules}`,
    });
  }
  for (const t of model.teams) {
    const m = t.members;
    const members =
      `  members:\n    users: ${list(m.users)}\n    groups: ${list(m.groups)}\n` +
      `    serviceAccounts: ${list(m.serviceAccounts)}\n`;
    files.push({
      path: t.source.file,
      text: `${header('Team', t.name)}${members}  grants:\n${t.grants.map(grantYaml).join('')}`,
    });
  }
  for (const t of model.tokens) {
    const body =
      `  owner: ${t.owner}\n  description: CI for ${t.owner}\n` + `  expires: ${formatTime(t.expires)}\n  grants:\n`;
    files.push({
      path: t.source.file,
      text: `${header('AccessToken', t.name)}${body}${t.grants.map(grantYaml).join('')}`,
    });
  }
  return files;
}

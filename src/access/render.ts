/**
 * The access tree as text, drawn the way `vela auth list-privileges` draws it: for `access` and `whoami`, a header
 * naming who the view is about, then cluster → scope → role → bindings and policy rules; for `plan --offline`,
 * cluster → scope → subject → role. Box-drawing characters.
 */

import type { PolicyRule } from '../model/types.js';
import type { Subject } from '../resources/types.js';
import { compareCodeUnits } from '../compare.js';
import { roleObjectName } from '../resources/names.js';
import { renderTree, type TreeNode } from '../report/tree.js';
import type { BindingAccess, ClusterAccess, RoleAccess, ScopeAccess } from './tree.js';

export interface AccessView {
  /** `User=alice@example.com Groups=payments-eng`, or `Namespace=payments`. */
  header: string;
  /** Subject view: who each binding reaches is shown as "via …"; namespace view: its subjects as children. */
  view: 'subject' | 'namespace';
  source: 'desired' | 'live';
  clusters: ClusterAccess[];
  /** Draw each role's policy rules (default true). */
  rules?: boolean;
  /** Said under the tree, e.g. that the subject is suspended. */
  notes?: string[];
}

export function renderAccessView(view: AccessView): string {
  const root: TreeNode = { label: view.header, children: view.clusters.map((c) => clusterNode(c, view)) };
  const notes = (view.notes ?? []).map((n) => `note: ${n}\n`).join('');
  return renderTree([root]) + notes;
}

function clusterNode(cluster: ClusterAccess, view: AccessView): TreeNode {
  if (cluster.error !== undefined) return { label: `[Cluster]  ${cluster.cluster}  (unreadable: ${cluster.error})` };
  if (cluster.scopes.length === 0)
    return { label: `[Cluster]  ${cluster.cluster}`, children: [{ label: '(no access)' }] };
  return { label: `[Cluster]  ${cluster.cluster}`, children: cluster.scopes.map((s) => scopeNode(s, view)) };
}

function scopeNode(scope: ScopeAccess, view: AccessView): TreeNode {
  const children = scope.roles.map((r) => roleNode(r, view));
  if (scope.namespace === undefined) return { label: '[Scope]  (cluster-wide)', children };
  const note = scope.pattern ? "  (pattern: expands against the cluster's namespaces)" : '';
  return { label: `[Namespace]  ${scope.namespace}${note}`, children };
}

function roleNode(role: RoleAccess, view: AccessView): TreeNode {
  const missing = role.found ? '' : '  (not found: grants nothing)';
  const bindings = role.bindings.map((b) => bindingNode(b, view.view));
  const showRules = view.rules !== false && role.rules.length > 0;
  const rules = showRules ? [{ label: '[PolicyRules]', children: role.rules.map(ruleNode) }] : [];
  return { label: `[${role.kind}]  ${role.name}${missing}`, children: [...bindings, ...rules] };
}

function bindingNode(binding: BindingAccess, view: AccessView['view']): TreeNode {
  const notes = grantNotes(binding);
  if (view === 'subject') notes.push(`via ${binding.subjects.map(subjectText).join(' & ')}`);
  const where = binding.namespace !== undefined && binding.kind === 'RoleBinding' ? `${binding.namespace}/` : '';
  const label = `[${binding.kind}]  ${where}${binding.name}${notes.length > 0 ? `  (${notes.join(', ')})` : ''}`;
  if (view === 'subject') return { label };
  return { label, children: binding.subjects.map((s) => ({ label: `[${s.kind}]  ${subjectName(s)}` })) };
}

function subjectText(subject: Subject): string {
  return `${subject.kind} ${subjectName(subject)}`;
}

function subjectName(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `${subject.namespace ?? ''}/${subject.name}` : subject.name;
}

/**
 * `plan --offline`'s access section: the tree turned subject-first, each role named as Git names it (`roleNames`,
 * the Roster roles, turn a `roster:<role>` ClusterRole back into its role) with the team or token behind it.
 */
export function renderAccessBySubject(clusters: readonly ClusterAccess[], roleNames: readonly string[]): string {
  const gitName = new Map(roleNames.map((name) => [roleObjectName(name), name]));
  return renderTree(
    clusters.map((cluster) => ({
      label: `[Cluster] ${cluster.cluster}${cluster.error !== undefined ? ` (unreadable: ${cluster.error})` : ''}`,
      children: cluster.scopes.map((scope) => ({
        label: scopeLabel(scope),
        children: rolesBySubject(scope, gitName),
      })),
    })),
  );
}

function scopeLabel(scope: ScopeAccess): string {
  if (scope.namespace === undefined) return '[Scope] (cluster-wide)';
  return `[Namespace] ${scope.namespace}${scope.pattern ? ' (pattern: expands against live namespaces)' : ''}`;
}

/** Each subject of the scope, by label, with the roles it holds there, by label. */
function rolesBySubject(scope: ScopeAccess, gitName: ReadonlyMap<string, string>): TreeNode[] {
  const roles = new Map<string, Set<string>>();
  for (const role of scope.roles) {
    for (const binding of role.bindings) {
      const notes = grantNotes(binding);
      const label = `[Role] ${gitName.get(role.name) ?? role.name}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
      for (const subject of binding.subjects) {
        const key = `[${subject.kind}] ${subjectName(subject)}`;
        roles.set(key, (roles.get(key) ?? new Set()).add(label));
      }
    }
  }
  return [...roles.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([label, held]) => ({ label, children: [...held].sort(compareCodeUnits).map((role) => ({ label: role })) }));
}

/** Who a binding was compiled for and until when, in both trees. */
function grantNotes(binding: BindingAccess): string[] {
  const notes: string[] = [];
  if (binding.holder) notes.push(`${binding.holder.kind} ${binding.holder.name}`);
  if (binding.delegation) notes.push(`delegation ${binding.delegation}`);
  if (!binding.managed) notes.push('unmanaged');
  if (binding.expires) notes.push(`until ${binding.expires}`);
  return notes;
}

const WIDTH = 'NonResourceURLs: '.length;

/** One rule as aligned `Field: values` lines, like vela's PolicyRules. */
export function ruleNode(rule: PolicyRule): TreeNode {
  const lines: string[] = [];
  const add = (field: string, values: readonly string[] | undefined): void => {
    if (values && values.length > 0) lines.push(`${`${field}:`.padEnd(WIDTH)}${values.map(show).join(', ')}`);
  };
  add('APIGroups', rule.apiGroups);
  add('Resources', rule.resources);
  add('ResourceNames', rule.resourceNames);
  add('NonResourceURLs', rule.nonResourceURLs);
  add('Verb', rule.verbs);
  return { label: lines.join('\n') };
}

/** The core API group is the empty string; show it so it cannot be mistaken for a missing value. */
function show(value: string): string {
  return value === '' ? '""' : value;
}

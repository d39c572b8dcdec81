import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { DEFAULT_SETTINGS } from '../../../src/model/types.js';
import { findingsOf } from '../../../src/validate/guardrails.js';
import { validateRepo } from '../../../src/validate/index.js';

const now = new Date('2026-06-01T00:00:00Z');
const header = (kind: string, name: string): string =>
  `apiVersion: roster/v1\nkind: ${kind}\nmetadata: {name: ${name}}\n`;
const cluster = (name: string, labels = '{}'): string =>
  `apiVersion: roster/v1\nkind: Cluster\nmetadata: {name: ${name}, labels: ${labels}}\nspec: {}\n`;
const team = (name: string, spec: string): string => `${header('Team', name)}spec:\n${spec}`;

function run(files: Record<string, string>) {
  return validateRepo(
    Object.entries(files).map(([path, text]) => ({ path, text })),
    { now },
  );
}
function codes(files: Record<string, string>): string[] {
  return run(files).diagnostics.map((d) => `${d.severity === 'warning' ? 'warning ' : ''}${d.code} ${d.path}`);
}

describe('validate', () => {
  it('builds a model with defaults: settings, context, prefixes, members and every-cluster selectors', () => {
    const { model, diagnostics } = run({
      'c.yaml': cluster('dev'),
      't.yaml': team('web', '  grants:\n    - {role: editor, namespaces: [web]}\n'),
    });
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(model!.settings, DEFAULT_SETTINGS);
    assert.deepEqual(model!.clusters[0], {
      name: 'dev',
      labels: {},
      context: 'dev',
      userPrefix: '',
      groupPrefix: '',
      source: { file: 'c.yaml', doc: 0, line: 1, col: 1 },
    });
    const web = model!.teams[0]!;
    assert.deepEqual(web.members, { users: [], groups: [], serviceAccounts: [] });
    assert.deepEqual(web.grants[0]!.clusters, { all: true });
    assert.deepEqual(web.grants[0]!.source, { file: 't.yaml', doc: 0, line: 6, col: 7 });
  });

  it('parses durations and dates', () => {
    const settings = `${header('Settings', 'roster')}spec: {maxTokenLifetime: 12h, expiryWarningDays: 3}\n`;
    const token = `${header('AccessToken', 'ci')}spec: {owner: web, expires: "2026-06-01T10:00:00Z"}\n`;
    const { model, diagnostics } = run({ 'a.yaml': `${settings}---\n${team('web', '  grants: []\n')}---\n${token}` });
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ['token "ci" expires on 2026-06-01T10:00:00Z (in 1 day)'],
    );
    assert.equal(model!.settings.maxTokenLifetimeSeconds, 12 * 3600);
    assert.equal(model!.tokens[0]!.expires.toISOString(), '2026-06-01T10:00:00.000Z');
  });

  it('returns no model when there is an error, but keeps warnings with a model', () => {
    assert.equal(run({ 't.yaml': team('web', '  grants: [{role: nope, namespaces: [a]}]\n') }).model, undefined);
    const warned = run({
      't.yaml': team('web', '  grants: [{role: viewer, namespaces: [a], expires: "2026-01-01T00:00:00Z"}]\n'),
    });
    assert.ok(warned.model);
    assert.deepEqual(
      warned.diagnostics.map((d) => d.code),
      ['expired'],
    );
  });

  it('reports every problem of every file in one run', () => {
    const got = codes({
      'a.yaml': team('a', '  grants: [{role: nope, namespaces: [a]}]\n'),
      'b.yaml': team('b', '  grants: [{role: viewer}]\n'),
      'c.yaml': `${header('Role', 'r')}spec: {scope: sideways}\n`,
      'd.yaml': 'kind: Team\nmetadata: {name: [\n',
    });
    assert.deepEqual(got, [
      'unknown-role spec.grants[0].role',
      'grant-scope spec.grants[0].role',
      'schema spec.scope',
      'yaml-syntax ',
      'yaml-syntax ',
    ]);
  });

  it('suggests the closest name for typos', () => {
    const { diagnostics } = run({
      'r.yaml': `${header('Role', 'deployer')}spec: {scope: namespace}\n`,
      'teams/payments.yaml': team('payments', '  grants:\n    - role: deployr\n      namespaces: [payments]\n'),
    });
    assert.equal(
      formatDiagnostic(diagnostics[0]!),
      'teams/payments.yaml:6:13 spec.grants[0].role: unknown role "deployr" (did you mean "deployer"?)',
    );
  });

  it('does not report references to a document that failed its schema as unknown', () => {
    const got = codes({
      'r.yaml': `${header('Role', 'deployer')}spec: {scope: namespace, rules: [{verbs: get}]}\n`,
      't.yaml': team('web', '  grants: [{role: deployer, namespaces: [web]}]\n'),
    });
    assert.deepEqual(got, ['schema spec.rules[0].verbs']);
  });

  it('requires a cluster selector to match at least one cluster', () => {
    const files = {
      'c.yaml': cluster('prod', '{env: prod}'),
      't.yaml': team('web', '  grants: [{role: viewer, namespaces: [a], clusters: {matchLabels: {env: dev}}}]\n'),
    };
    assert.deepEqual(codes(files), ['no-matching-cluster spec.grants[0].clusters.matchLabels']);
  });

  it('measures token lifetime from notBefore when it lies in the future', () => {
    const token = (spec: string): Record<string, string> => ({
      't.yaml': team('web', '  grants: []\n'),
      'k.yaml': `${header('AccessToken', 'ci')}spec: {owner: web, ${spec}}\n`,
    });
    assert.deepEqual(codes(token('notBefore: "2026-12-01T00:00:00Z", expires: "2027-02-01T00:00:00Z"')), []);
    assert.deepEqual(codes(token('expires: "2026-09-01T00:00:00Z"')), ['token-lifetime spec.expires']);
  });

  it('lets privileged: true acknowledge a flagged role, and flags what a role inherits from one', () => {
    const base =
      `${header('Role', 'base')}spec: {scope: cluster, privileged: true, rules: [{apiGroups: [""], ` +
      `resources: [secrets], verbs: [get]}]}\n`;
    const child = `${header('Role', 'child')}spec: {scope: cluster, extends: [base]}\n`;
    assert.deepEqual(codes({ 'r.yaml': `${base}---\n${child}` }), ['guardrail spec.extends[0]']);
  });

  it('allows an explicit protected namespace only on a privileged grant', () => {
    const grants = (privileged: boolean): string =>
      `  grants: [{role: viewer, namespaces: [kube-system], privileged: ${String(privileged)}}]\n`;
    assert.deepEqual(codes({ 't.yaml': team('web', grants(false)) }), [
      'protected-namespace spec.grants[0].namespaces[0]',
    ]);
    assert.deepEqual(codes({ 't.yaml': team('web', grants(true)) }), []);
  });

  it('reads the expiry warning window from Settings', () => {
    const settings = `${header('Settings', 'roster')}spec: {expiryWarningDays: 30}\n`;
    const t = team('web', '  grants: [{role: viewer, namespaces: [a], expires: "2026-06-20T00:00:00Z"}]\n');
    assert.deepEqual(codes({ 't.yaml': t }), []);
    assert.deepEqual(codes({ 's.yaml': settings, 't.yaml': t }), ['warning expiring spec.grants[0].expires']);
  });
});

describe('guardrails: RBAC wildcard subresources', () => {
  const rule = (resources: string[], verbs = ['get']) => ({ apiGroups: [''], resources, verbs });
  const ids = (r: ReturnType<typeof rule>) => findingsOf(r).map((f) => f.guardrail.id);

  it('does not flag "*/scale", which names one subresource of every resource', () => {
    assert.deepEqual(ids(rule(['*/scale'], ['get', 'update'])), []);
  });

  it('flags "*/proxy" as nodes/proxy and create on "*/token" as serviceaccounts/token', () => {
    assert.deepEqual(ids(rule(['*/proxy'])), ['nodes-proxy']);
    assert.deepEqual(ids(rule(['*/token'], ['create'])), ['serviceaccount-token']);
  });

  it('still flags the "*" resource', () => {
    assert.deepEqual(ids(rule(['*'])), ['wildcard-resource']);
  });
});

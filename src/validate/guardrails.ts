/**
 * Guardrails: access that lets a holder reach beyond what it was given. A custom role whose rules (its own, or
 * inherited from other custom roles through `extends`) match one of these must say `privileged: true`; so must a
 * grant of cluster-owner to a team with groups. Checked offline, before any cluster is touched.
 * docs/guardrails.md explains each entry; keep the two in step.
 */

import type { PolicyRule } from '../model/types.js';

/** What a rule grants that a guardrail flags: the rule field to point at, and the offending entry. */
export interface Finding {
  field: keyof PolicyRule;
  what: string;
}

export interface Guardrail {
  id: string;
  why: string;
  test(rule: PolicyRule): Finding | undefined;
}

const READ_VERBS = ['get', 'list', 'watch'];

const has = (list: readonly string[] | undefined, value: string): boolean => list?.includes(value) ?? false;
/** Whether resources name `resource/sub` directly or through RBAC's "*\/sub" form (that subresource of every
 * resource). */
const covers = (resources: readonly string[] | undefined, target: string): string | undefined =>
  resources?.find((res) => res === target || res === `*/${target.split('/')[1]}`);
const verb =
  (name: string) =>
  (rule: PolicyRule): Finding | undefined =>
    has(rule.verbs, name) ? { field: 'verbs', what: `verb "${name}"` } : undefined;

export const RULE_GUARDRAILS: readonly Guardrail[] = [
  {
    id: 'wildcard-verb',
    why: 'a "*" verb grants every verb, including ones added later (escalate, bind, impersonate, custom verbs)',
    test: (r) => (has(r.verbs, '*') ? { field: 'verbs', what: 'verb "*"' } : undefined),
  },
  {
    id: 'wildcard-resource',
    why: 'a "*" resource grants every resource and subresource, including secrets and those added by future CRDs',
    test: (r) => {
      // Only "*" itself: "*/scale" names one subresource of every resource (the ones that matter are checked below).
      const hit = r.resources?.find((res) => res === '*');
      return hit === undefined ? undefined : { field: 'resources', what: `resource "${hit}"` };
    },
  },
  {
    id: 'wildcard-api-group',
    why: 'a "*" API group matches every group, including ones installed later by operators',
    test: (r) => (has(r.apiGroups, '*') ? { field: 'apiGroups', what: 'API group "*"' } : undefined),
  },
  {
    id: 'wildcard-url',
    why: 'a "*" non-resource URL opens every API server endpoint, including debug and metrics endpoints',
    test: (r) => (has(r.nonResourceURLs, '*') ? { field: 'nonResourceURLs', what: 'non-resource URL "*"' } : undefined),
  },
  {
    id: 'escalate',
    why: 'it lets the holder create or edit roles with permissions it does not have',
    test: verb('escalate'),
  },
  {
    id: 'bind',
    why: 'it lets the holder bind any role, including cluster-admin, to any subject, itself included',
    test: verb('bind'),
  },
  {
    id: 'impersonate',
    why: 'it lets the holder act as another user, group or service account, with all their rights',
    test: verb('impersonate'),
  },
  {
    id: 'secrets-read',
    why: 'reading secrets exposes service account tokens and credentials, which grant the access of whoever owns them',
    test: (r) =>
      has(r.resources, 'secrets') && r.verbs.some((v) => READ_VERBS.includes(v))
        ? { field: 'resources', what: 'read access to "secrets"' }
        : undefined,
  },
  {
    id: 'nodes-proxy',
    why: 'nodes/proxy reaches the kubelet API directly: exec into any pod on the node, bypassing admission and audit',
    test: (r) => {
      const hit = covers(r.resources, 'nodes/proxy');
      return hit === undefined ? undefined : { field: 'resources', what: `resource "${hit}"` };
    },
  },
  {
    id: 'serviceaccount-token',
    why:
      'creating serviceaccounts/token mints tokens for any service account in scope, ' +
      'so the holder gets their rights',
    test: (r) => {
      const hit = has(r.verbs, 'create') ? covers(r.resources, 'serviceaccounts/token') : undefined;
      return hit === undefined ? undefined : { field: 'resources', what: `create on "${hit}"` };
    },
  },
];

/** Built-in roles whose inheritance is itself flagged (they hold every permission). */
export const PRIVILEGED_BUILTINS: Readonly<Record<string, string>> = {
  'cluster-owner': 'cluster-owner is cluster-admin: every verb on every resource in every namespace',
};

export const GROUP_CLUSTER_OWNER = {
  id: 'cluster-owner-to-group',
  why:
    'everyone who is or later joins the group becomes cluster-admin on the selected clusters, ' +
    'managed outside Roster by the identity provider',
} as const;

export function findingsOf(rule: PolicyRule): { guardrail: Guardrail; finding: Finding }[] {
  return RULE_GUARDRAILS.flatMap((guardrail) => {
    const finding = guardrail.test(rule);
    return finding ? [{ guardrail, finding }] : [];
  });
}

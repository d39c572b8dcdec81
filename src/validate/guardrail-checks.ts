/** Applies the guardrails in guardrails.ts to custom roles (own and inherited rules) and to grants. */

import type { Diagnostic } from '../diagnostics.js';
import type { CustomRole } from '../model/types.js';
import type { Entry } from './collect.js';
import { heldGrants, type Check } from './context.js';
import { findingsOf, GROUP_CLUSTER_OWNER, PRIVILEGED_BUILTINS } from './guardrails.js';
import { diag } from './report.js';

export const checkRoleGuardrails: Check = (ctx) => {
  const roles = new Map(ctx.c.roles.map((e) => [e.item.name, e] as const));
  return ctx.c.roles
    .filter(({ item }) => !item.privileged)
    .flatMap((entry) => [...ownFindings(entry), ...inheritedFindings(entry, roles)]);
};

function ownFindings({ item, doc }: Entry<CustomRole>): Diagnostic[] {
  return item.rules.flatMap((rule, i) =>
    findingsOf(rule).map(({ guardrail, finding }) =>
      diag(
        doc,
        ['spec', 'rules', i, finding.field],
        'guardrail',
        `${finding.what} is flagged by guardrail ${guardrail.id}: ${guardrail.why}`,
        {
          hint: `if this is intended, set spec.privileged: true on role "${item.name}" so reviewers see it`,
        },
      ),
    ),
  );
}

/** Inherited findings point at the `extends` entry they come through, naming the role and rule they come from. */
function inheritedFindings({ item, doc }: Entry<CustomRole>, roles: Map<string, Entry<CustomRole>>): Diagnostic[] {
  return item.extends.flatMap((parent, i) => {
    const path = ['spec', 'extends', i];
    const hint = `if this is intended, set spec.privileged: true on role "${item.name}" so reviewers see it`;
    const builtin = PRIVILEGED_BUILTINS[parent];
    if (builtin)
      return [
        diag(doc, path, 'guardrail', `extends "${parent}", flagged by guardrail extends-${parent}: ${builtin}`, {
          hint,
        }),
      ];
    return ancestry(parent, roles).flatMap((source) =>
      source.rules.flatMap((rule, r) =>
        findingsOf(rule).map(({ guardrail, finding }) =>
          diag(
            doc,
            path,
            'guardrail',
            `inherits ${finding.what} from role "${source.name}" (spec.rules[${r}]), ` +
              `flagged by guardrail ${guardrail.id}: ${guardrail.why}`,
            { hint },
          ),
        ),
      ),
    );
  });
}

/** The custom role `name` and every custom role it extends, each once (cycles are reported elsewhere). */
function ancestry(name: string, roles: Map<string, Entry<CustomRole>>): CustomRole[] {
  const seen = new Set<string>();
  const out: CustomRole[] = [];
  const visit = (n: string): void => {
    const role = roles.get(n)?.item;
    if (!role || seen.has(n)) return;
    seen.add(n);
    out.push(role);
    role.extends.forEach(visit);
  };
  visit(name);
  return out;
}

export const checkGrantGuardrails: Check = (ctx) =>
  heldGrants(ctx)
    .filter(
      ({ team, grant }) =>
        grant.role === 'cluster-owner' && (team?.members.groups.length ?? 0) > 0 && grant.privileged !== true,
    )
    .map(({ team, doc, path }) =>
      diag(
        doc,
        [...path, 'role'],
        'guardrail',
        `cluster-owner granted to team "${team!.name}", which has groups, ` +
          `is flagged by guardrail ${GROUP_CLUSTER_OWNER.id}: ${GROUP_CLUSTER_OWNER.why}`,
        {
          hint:
            'if this is intended, set privileged: true on this grant so reviewers see it; ' +
            'or list users instead of groups',
        },
      ),
    );

/** Custom roles: names apart from the built-ins, `extends` resolvable, acyclic and scope-compatible. */

import type { Diagnostic } from '../diagnostics.js';
import { isBuiltinRole } from '../model/builtins-names.js';
import type { CustomRole } from '../model/types.js';
import type { Entry } from './collect.js';
import { knownRoleNames, roleScope, type Check } from './context.js';
import { unknownRole } from './references.js';
import { diag } from './report.js';

export const checkBuiltinNames: Check = (ctx) =>
  ctx.c.roles
    .filter(({ item }) => isBuiltinRole(item.name))
    .map(({ item, doc }) =>
      diag(doc, ['metadata', 'name'], 'builtin-role-name', `role "${item.name}" has the name of a built-in role`, {
        hint:
          `built-in roles cannot be redefined; pick another name (e.g. "${item.name}-custom") ` +
          `and extend "${item.name}" if you need its rules`,
      }),
    );

export const checkExtends: Check = (ctx) => {
  const known = knownRoleNames(ctx);
  const out: Diagnostic[] = [];
  for (const { item, doc } of ctx.c.roles) {
    item.extends.forEach((parent, i) => {
      const path = ['spec', 'extends', i];
      if (!known.includes(parent)) out.push(unknownRole(doc, path, parent, known));
      else if (item.scope === 'namespace' && roleScope(ctx, parent) === 'cluster') {
        out.push(
          diag(
            doc,
            path,
            'role-scope',
            `namespace-scoped role "${item.name}" cannot extend cluster-scoped role "${parent}"`,
            {
              hint: 'make this role scope: cluster, or extend a namespace-scoped role',
            },
          ),
        );
      }
    });
  }
  return out;
};

/** nonResourceURLs only mean something in a ClusterRole bound cluster-wide. */
export const checkRuleScope: Check = (ctx) =>
  ctx.c.roles
    .filter(({ item }) => item.scope === 'namespace')
    .flatMap(({ item, doc }) =>
      item.rules.flatMap((rule, i) =>
        rule.nonResourceURLs?.length
          ? [
              diag(
                doc,
                ['spec', 'rules', i, 'nonResourceURLs'],
                'role-scope',
                `nonResourceURLs need a cluster-scoped role; "${item.name}" is namespace-scoped`,
                {
                  hint: 'move these rules to a role with scope: cluster',
                },
              ),
            ]
          : [],
      ),
    );

/** Reports each cycle once, at the alphabetically first role in it, as `a → b → a`. */
export const checkCycles: Check = (ctx) => {
  const roles = new Map(ctx.c.roles.map((e) => [e.item.name, e] as const));
  const reported = new Set<string>();
  const out: Diagnostic[] = [];
  for (const name of [...roles.keys()].sort()) {
    const cycle = findCycle(name, roles);
    if (!cycle || reported.has(cycle.join())) continue;
    reported.add(cycle.join());
    const start = roles.get(cycle[0]!)!;
    const i = start.item.extends.indexOf(cycle[1]!);
    out.push(
      diag(
        start.doc,
        ['spec', 'extends', i],
        'extends-cycle',
        `roles extend each other in a cycle: ${cycle.join(' → ')}`,
        {
          hint: 'remove one of these extends entries',
        },
      ),
    );
  }
  return out;
};

/** A cycle through `from`, rotated to start at its smallest name, or undefined. */
function findCycle(from: string, roles: Map<string, Entry<CustomRole>>): string[] | undefined {
  const stack: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    const at = stack.indexOf(name);
    if (at >= 0) return stack.slice(at);
    const role = roles.get(name);
    if (!role || done.has(name)) return undefined;
    stack.push(name);
    for (const parent of role.item.extends) {
      const found = visit(parent);
      if (found) return found;
    }
    stack.pop();
    done.add(name);
    return undefined;
  };
  const cycle = visit(from);
  if (!cycle) return undefined;
  const first = cycle.indexOf([...cycle].sort()[0]!);
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0]!];
}

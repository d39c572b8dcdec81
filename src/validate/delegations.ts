/**
 * Delegated paths stay within their delegation: a Team or AccessToken there grants only ceiling roles, only in the
 * delegation's namespaces and clusters, never cluster-wide; the platform's own kinds are never defined there; a
 * file belongs to one delegation at most; and a Delegation's own limits make sense. Kubernetes checks the same
 * ceiling again at apply time (the bindings are written as the delegation's ServiceAccount); this is the check
 * that answers first, at file:line.
 */

import type { Diagnostic } from '../diagnostics.js';
import { delegationsCovering, formatSelector, namespaceWithin, selectorWithin } from '../model/delegations.js';
import { isPattern } from '../model/patterns.js';
import type { Delegation, Kind } from '../model/types.js';
import type { Entry } from './collect.js';
import { heldGrants, knownRoleNames, roleScope, type Check, type CheckContext, type HeldGrant } from './context.js';
import { unknownRole } from './references.js';
import { diag, where } from './report.js';
import { compareCodeUnits } from '../compare.js';

/**
 * Kinds that shape the platform: only the platform's own (undelegated) files may define them. A Suspension removes
 * people from every binding on every cluster, far beyond a delegation's namespaces: it is the platform's too.
 */
const PLATFORM_KINDS: readonly Kind[] = ['Settings', 'Cluster', 'Role', 'Delegation', 'Suspension'];

/** By name, so that messages do not depend on the order of files. */
function covering(ctx: CheckContext, file: string): Entry<Delegation>[] {
  return delegationsCovering(
    file,
    ctx.c.delegations.map((e) => ({ ...e, paths: e.item.paths })),
  ).sort((a, b) => compareCodeUnits(a.item.name, b.item.name));
}

function named(entry: Entry<Delegation>): string {
  return `Delegation ${entry.item.name} (${where(entry.doc, [])})`;
}

export const checkDelegatedKinds: Check = (ctx) =>
  ctx.declared.flatMap(({ kind, name, doc }) => {
    if (!PLATFORM_KINDS.includes(kind)) return [];
    const [entry] = covering(ctx, doc.file);
    if (!entry) return [];
    return [
      diag(
        doc,
        ['kind'],
        'delegated-kind',
        `${kind} "${name}" is in a path delegated by ${named(entry)}: a delegated path may not define ${kind}s`,
        {
          hint: `move it outside ${entry.item.paths.join(', ')}; the platform team defines ${kind}s`,
        },
      ),
    ];
  });

export const checkDelegationOverlap: Check = (ctx) => {
  const seen = new Set<string>();
  return ctx.declared.flatMap(({ doc }) => {
    if (seen.has(doc.file)) return [];
    seen.add(doc.file);
    const hits = covering(ctx, doc.file);
    if (hits.length < 2) return [];
    const names = hits.map((e) => e.item.name).join(', ');
    return [
      diag(
        doc,
        [],
        'delegation-overlap',
        `${doc.file} is covered by several delegations (${names}): a file belongs to one delegation at most`,
        {
          hint: 'narrow the paths of those Delegations so that they do not overlap',
        },
      ),
    ];
  });
};

export const checkDelegatedGrants: Check = (ctx) =>
  heldGrants(ctx).flatMap((held) => {
    const [entry] = covering(ctx, held.doc.file);
    return entry ? grantProblems(ctx, held, entry) : [];
  });

function grantProblems(ctx: CheckContext, { grant, doc, path }: HeldGrant, entry: Entry<Delegation>): Diagnostic[] {
  const d = entry.item;
  const out: Diagnostic[] = [];
  const ceiling = d.ceiling.join(', ');
  if (roleScope(ctx, grant.role) === 'cluster') {
    out.push(
      diag(
        doc,
        [...path, 'role'],
        'delegation-ceiling',
        `role "${grant.role}" is cluster-wide: ${named(entry)} allows no cluster-wide scope (its ceiling: ${ceiling})`,
        {
          hint: `grant one of ${ceiling} in the namespaces the delegation covers, or ask the platform team`,
        },
      ),
    );
  } else if (!d.ceiling.includes(grant.role)) {
    out.push(
      diag(
        doc,
        [...path, 'role'],
        'delegation-ceiling',
        `role "${grant.role}" is above the ceiling of ${named(entry)}: it may grant only ${ceiling}`,
        {
          hint: `use one of ${ceiling}, or ask the platform team to raise the ceiling`,
        },
      ),
    );
  }
  grant.namespaces.forEach((ns, i) => {
    if (namespaceWithin(ns, d.namespaces)) return;
    out.push(
      diag(
        doc,
        [...path, 'namespaces', i],
        'delegation-namespace',
        `${isPattern(ns) ? 'pattern' : 'namespace'} "${ns}" is outside ${named(entry)}: ` +
          `it covers only ${d.namespaces.join(', ')}`,
        {
          hint: 'grant only in the namespaces the delegation covers, or ask the platform team to add this one',
        },
      ),
    );
  });
  if (
    !selectorWithin(
      grant.clusters,
      d.clusters,
      ctx.c.clusters.map((c) => c.item),
    )
  ) {
    const reach = 'all' in grant.clusters ? 'every cluster (no clusters selector)' : formatSelector(grant.clusters);
    out.push(
      diag(
        doc,
        'all' in grant.clusters ? path : [...path, 'clusters'],
        'delegation-cluster',
        `grant reaches ${reach}: ${named(entry)} covers only ${formatSelector(d.clusters)}`,
        {
          hint: `select clusters within the delegation, e.g. clusters: ${JSON.stringify(d.clusters)}`,
        },
      ),
    );
  }
  return out;
}

/** A Delegation's own limits: known, namespace-scoped ceiling roles; namespaces Roster may bind in. */
export const checkDelegations: Check = (ctx) =>
  ctx.c.delegations.flatMap((entry) => [
    ...ceilingProblems(ctx, entry),
    ...namespaceProblems(ctx, entry),
    ...ownerProblems(entry),
  ]);

function ownerProblems({ item, doc }: Entry<Delegation>): Diagnostic[] {
  if (item.owners.users.length + item.owners.groups.length > 0) return [];
  return [
    diag(
      doc,
      ['spec', 'owners'],
      'delegation',
      `Delegation ${item.name} names no owner: nobody would review its files`,
      {
        hint: 'list the users or groups (org/team) who review changes to its paths',
      },
    ),
  ];
}

function ceilingProblems(ctx: CheckContext, { item, doc }: Entry<Delegation>): Diagnostic[] {
  const known = knownRoleNames(ctx);
  return item.ceiling.flatMap((role, i) => {
    const path = ['spec', 'ceiling', i];
    if (!known.includes(role)) return [unknownRole(doc, path, role, known)];
    if (roleScope(ctx, role) !== 'cluster') return [];
    return [
      diag(
        doc,
        path,
        'delegation',
        `role "${role}" is cluster-scoped: a delegation's ceiling holds namespace-scoped roles only`,
        {
          hint: "delegated files grant inside their namespaces; keep cluster-wide access in the platform's own files",
        },
      ),
    ];
  });
}

function namespaceProblems(ctx: CheckContext, { item, doc }: Entry<Delegation>): Diagnostic[] {
  const s = ctx.settings;
  const reserved = [...s.protectedNamespaces, s.tokenNamespace, s.delegationNamespace];
  return item.namespaces.flatMap((ns, i) =>
    !isPattern(ns) && reserved.includes(ns)
      ? [
          diag(
            doc,
            ['spec', 'namespaces', i],
            'delegation',
            `namespace "${ns}" is reserved (protected, or Roster's token or delegation namespace): ` +
              `it cannot be delegated`,
            {
              hint: "delegate the product team's own namespaces only",
            },
          ),
        ]
      : [],
  );
}

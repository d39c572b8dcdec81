/**
 * Delegated paths stay within their delegation: a Team or AccessToken there grants only ceiling roles, only in the
 * delegation's namespaces and clusters, never cluster-wide; the platform's own kinds are never defined there; a
 * file belongs to one delegation at most; and a Delegation's own limits make sense. Kubernetes checks the same
 * ceiling again at apply time (the bindings are written as the delegation's ServiceAccount); this is the check
 * that answers first, at file:line.
 */

import type { Diagnostic } from '../diagnostics.js';
import { coversFile, formatSelector, namespaceWithin, selectorWithin } from '../model/delegations.js';
import { named, pathOverlapProblems, pathProblems } from './delegation-paths.js';
import { globToRegExp, isPattern } from '../model/patterns.js';
import type { Delegation, Kind } from '../model/types.js';
import type { Entry } from './collect.js';
import { heldGrants, knownRoleNames, roleScope, type Check, type CheckContext, type HeldGrant } from './context.js';
import { protectedMatches } from './grants.js';
import { selectorProblems, unknownRole } from './references.js';
import { diag } from './report.js';
import { compareCodeUnits } from '../compare.js';

/**
 * Kinds that shape the platform: only the platform's own (undelegated) files may define them. A Suspension removes
 * people from every binding on every cluster, far beyond a delegation's namespaces: it is the platform's too.
 */
const PLATFORM_KINDS: readonly Kind[] = ['Settings', 'Cluster', 'Role', 'Delegation', 'Suspension'];

/**
 * By name, so that messages do not depend on the order of files. Asked per document, grant, team and token (a file
 * many times over): remembered per run, as `heldGrants` is.
 */
function covering(ctx: CheckContext, file: string): readonly Entry<Delegation>[] {
  let byFile = coveringCache.get(ctx);
  if (!byFile) coveringCache.set(ctx, (byFile = new Map<string, readonly Entry<Delegation>[]>()));
  let hits = byFile.get(file);
  if (!hits) {
    hits = ctx.c.delegations
      .filter((e) => coversFile(e.item, file))
      .sort((a, b) => compareCodeUnits(a.item.name, b.item.name));
    byFile.set(file, hits);
  }
  return hits;
}
const coveringCache = new WeakMap<CheckContext, Map<string, readonly Entry<Delegation>[]>>();

/** Namespaces no delegation reaches: the protected ones, and Roster's token and delegation namespaces. */
function reservedNamespaces({ settings: s }: CheckContext): string[] {
  return [...s.protectedNamespaces, s.tokenNamespace, s.delegationNamespace];
}

/** `Roles`, `Clusters`, but `Settings`. */
function plural(kind: Kind): string {
  return kind === 'Settings' ? 'Settings documents' : `${kind}s`;
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
        `${kind} "${name}" is in a path delegated by ${named(entry)}: a delegated path may not define ${plural(kind)}`,
        {
          hint: `move it outside ${entry.item.paths.join(', ')}; the platform team defines ${plural(kind)}`,
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
    // Neither wins: each would hold the file to its own ceiling, and CODEOWNERS would ask only the last one's owners.
    const names = hits.map(
      (e) => `${named(e)} by ${e.item.paths.filter((g) => coversFile({ paths: [g] }, doc.file)).join(', ')}`,
    );
    return [
      diag(
        doc,
        [],
        'delegation-overlap',
        `${doc.file} is covered by several delegations (${names.join('; ')}): a file belongs to one delegation at most`,
        {
          hint: 'narrow the paths of those Delegations so that they do not overlap; until then the file is refused',
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

/**
 * A delegated Team names ServiceAccounts of the delegation's own namespaces only: one elsewhere is another team's
 * (or the platform's) workload, and linking it to this team's access is not the delegation's decision. Kubernetes
 * does not restrict a binding's subjects, so this check is the only one.
 */
export const checkDelegatedMembers: Check = (ctx) =>
  ctx.c.teams.flatMap(({ item, doc }) => {
    const [entry] = covering(ctx, doc.file);
    if (!entry) return [];
    const reserved = reservedNamespaces(ctx);
    return item.members.serviceAccounts.flatMap((sa, i) => {
      const ns = sa.slice(0, sa.indexOf('/'));
      if (!reserved.includes(ns) && namespaceWithin(ns, entry.item.namespaces)) return [];
      return [
        diag(
          doc,
          ['spec', 'members', 'serviceAccounts', i],
          'delegation-member',
          `ServiceAccount "${sa}" is in namespace "${ns}", outside ${named(entry)}: ` +
            `a delegated team names ServiceAccounts of ${entry.item.namespaces.join(', ')} only`,
          {
            hint:
              "a ServiceAccount elsewhere is another team's or the platform's; " +
              'ask the platform team to grant it from an undelegated file',
          },
        ),
      ];
    });
  });

/**
 * A delegated AccessToken is owned by a team of the same delegation: its owner answers for it (access reviews,
 * reports), and a product team may not make another team, the platform's included, answer for its tokens.
 */
export const checkDelegatedTokenOwners: Check = (ctx) =>
  ctx.c.tokens.flatMap(({ item, doc }) => {
    const [entry] = covering(ctx, doc.file);
    const owner = ctx.c.teams.find((t) => t.item.name === item.owner);
    if (!entry || !owner || covering(ctx, owner.doc.file)[0]?.item.name === entry.item.name) return [];
    return [
      diag(
        doc,
        ['spec', 'owner'],
        'delegation-member',
        `owner "${item.owner}" is a team outside ${named(entry)} (declared in ${owner.doc.file}): ` +
          'a delegated AccessToken is owned by a team of its own delegation',
        { hint: `name a team declared in ${entry.item.paths.join(', ')}` },
      ),
    ];
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
  } else if (!d.ceiling.includes(grant.role) && knownRoleNames(ctx).includes(grant.role)) {
    // An unknown role is reported as unknown (references.ts); the ceiling is about roles that exist.
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

/**
 * A Delegation's own limits: known, namespace-scoped ceiling roles; namespaces Roster may bind in; clusters that
 * exist; paths that cover a file; owners a forge can ask for review.
 */
export const checkDelegations: Check = (ctx) =>
  ctx.c.delegations.flatMap((entry) => [
    ...ceilingProblems(ctx, entry),
    ...namespaceProblems(ctx, entry),
    ...selectorProblems(ctx, entry.doc, ['spec', 'clusters'], entry.item.clusters),
    ...pathProblems(ctx, entry),
    ...pathOverlapProblems(ctx, entry),
    ...ownerProblems(entry),
  ]);

function ownerProblems({ item, doc }: Entry<Delegation>): Diagnostic[] {
  if (item.owners.users.length + item.owners.groups.length === 0)
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
  // CODEOWNERS reads @a/b as a team and @a as a user: a group without "/" or a user with one asks the wrong owner.
  const bare = (name: string) => name.replace(/^@/, '');
  return [
    ...item.owners.groups.flatMap((group, i) =>
      bare(group).includes('/')
        ? []
        : [
            diag(doc, ['spec', 'owners', 'groups', i], 'delegation', `owner group "${group}" is not org/team`, {
              severity: 'warning',
              hint:
                `CODEOWNERS reads @${bare(group)} as a user on GitHub; write the team as org/team ` +
                '(a GitLab top-level group may stay as it is)',
            }),
          ],
    ),
    ...item.owners.users.flatMap((user, i) =>
      bare(user).includes('/')
        ? [
            diag(
              doc,
              ['spec', 'owners', 'users', i],
              'delegation',
              `owner user "${user}" looks like a team (org/team)`,
              {
                severity: 'warning',
                hint: 'CODEOWNERS reads @org/team as a team: move it to owners.groups, or give the user name',
              },
            ),
          ]
        : [],
    ),
  ];
}

function ceilingProblems(ctx: CheckContext, { item, doc }: Entry<Delegation>): Diagnostic[] {
  const known = knownRoleNames(ctx);
  return item.ceiling.flatMap((role, i) => {
    const path = ['spec', 'ceiling', i];
    if (!known.includes(role)) {
      const unknown = unknownRole(doc, path, role, known);
      return [
        { ...unknown, message: `Delegation ${item.name}: ceiling role "${role}" is not defined: ${unknown.message}` },
      ];
    }
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
  const reserved = reservedNamespaces(ctx);
  return item.namespaces.flatMap((ns, i) =>
    isPattern(ns)
      ? reservedPatternProblems(ctx, doc, ns, i)
      : reserved.includes(ns)
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

/**
 * A pattern matching reserved namespaces never delegates them (compile skips them), as a grant's pattern never binds
 * there.
 */
function reservedPatternProblems(
  ctx: CheckContext,
  doc: Entry<Delegation>['doc'],
  ns: string,
  i: number,
): Diagnostic[] {
  const s = ctx.settings;
  const regexp = globToRegExp(ns);
  const own = [s.tokenNamespace, s.delegationNamespace].filter((n) => regexp.test(n));
  const hit = [...protectedMatches(s.protectedNamespaces, ns), ...own];
  if (hit.length === 0) return [];
  return [
    diag(
      doc,
      ['spec', 'namespaces', i],
      'delegation',
      `pattern "${ns}" matches reserved namespace${hit.length > 1 ? 's' : ''} ${hit.join(', ')}; ` +
        `the delegation never covers ${hit.length > 1 ? 'them' : 'it'}`,
      {
        severity: 'warning',
        hint:
          "protected namespaces and Roster's token and delegation namespaces are never delegated; " +
          "narrow the pattern to the product team's namespaces",
      },
    ),
  ];
}

/**
 * Delegated paths stay within their delegation: a Team or AccessToken there grants only ceiling roles, only in the
 * delegation's namespaces and clusters, never cluster-wide; the platform's own kinds are never defined there; a
 * file belongs to one delegation at most; and a Delegation's own limits make sense. Kubernetes checks the same
 * ceiling again at apply time (the bindings are written as the delegation's ServiceAccount); this is the check
 * that answers first, at file:line.
 */

import { posix } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument, SourceFile } from '../load/types.js';
import {
  CODEOWNERS_LOCATIONS,
  coversFile,
  delegationsCovering,
  formatSelector,
  globsOverlap,
  namespaceWithin,
  selectorWithin,
} from '../model/delegations.js';
import { globToRegExp, isPattern } from '../model/patterns.js';
import type { Delegation, Kind } from '../model/types.js';
import type { Entry } from './collect.js';
import { heldGrants, knownRoleNames, roleScope, type Check, type CheckContext, type HeldGrant } from './context.js';
import { protectedMatches } from './grants.js';
import { selectorProblems, unknownRole } from './references.js';
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
    const s = ctx.settings;
    const reserved = [...s.protectedNamespaces, s.tokenNamespace, s.delegationNamespace];
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

/**
 * Paths of two delegations that can cover the same file, found before any file is there. Neither delegation would
 * win such a file: it is refused (checkDelegationOverlap) once it exists.
 */
function pathOverlapProblems(ctx: CheckContext, { item, doc }: Entry<Delegation>): Diagnostic[] {
  const others = ctx.c.delegations.filter((e) => e.item.name !== item.name);
  return item.paths.flatMap((glob, i) => {
    const hits = others.flatMap((other) =>
      other.item.paths.filter((theirs) => globsOverlap(glob, theirs)).map((theirs) => `${theirs} of ${named(other)}`),
    );
    if (hits.length === 0) return [];
    return [
      diag(
        doc,
        ['spec', 'paths', i],
        'delegation-overlap',
        `Delegation ${item.name}: path "${glob}" overlaps ${hits.join('; ')}: a file belongs to one delegation at most`,
        { hint: 'narrow the paths so that no file can match both; a file both cover is refused' },
      ),
    ];
  });
}

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

/**
 * A plain path (no wildcard) that covers no config file, or a delegation none of whose paths covers one, delegates
 * nothing: a typo would leave the files it meant outside the delegation, under no ceiling. A glob may wait for files.
 */
function pathProblems(ctx: CheckContext, entry: Entry<Delegation>): Diagnostic[] {
  const refused = entry.item.paths.flatMap((glob, i) => globProblems(entry, glob, i));
  return refused.length > 0 ? refused : coverageProblems(ctx, entry);
}

/**
 * A glob Roster and the forge would read differently splits the two checks: a file the forge lets the delegation's
 * owners approve, but that Roster holds to no ceiling (or the reverse). A glob covering CODEOWNERS lets those
 * owners approve who reviews everything else.
 */
function globProblems({ item, doc }: Entry<Delegation>, glob: string, i: number): Diagnostic[] {
  const reason = globSyntaxProblem(glob);
  const codeowners = CODEOWNERS_LOCATIONS.find((file) => coversFile({ paths: [glob] }, file));
  const at = ['spec', 'paths', i];
  if (reason)
    return [
      diag(doc, at, 'delegation', `Delegation ${item.name}: path "${glob}" ${reason}`, {
        hint:
          "Roster's globs: '**' as a whole folder name (teams/**/x.yaml, teams/payments/**), " +
          "'*' and '?' within a name",
      }),
    ];
  if (codeowners)
    return [
      diag(
        doc,
        at,
        'delegation',
        `Delegation ${item.name}: path "${glob}" covers ${codeowners}: its owners could approve changes to who ` +
          'reviews every other file',
        { hint: "delegate the product team's folders only; CODEOWNERS stays the platform's" },
      ),
    ];
  return [];
}

function globSyntaxProblem(glob: string): string | undefined {
  if (/[[\]{}\\]/.test(glob))
    return "holds [ ] { } or \\, which a forge's CODEOWNERS reads as pattern syntax and Roster as plain characters";
  if (/^[!#]/.test(glob)) return 'starts with ! or #, which CODEOWNERS reads as a negation or a comment';
  const parts = glob.replace(/\/+$/, '').split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..'))
    return "has an empty, '.' or '..' folder name: paths are relative to the repository root, without them";
  if (parts.some((p) => p.includes('**') && p !== '**'))
    return "uses '**' inside a name, where CODEOWNERS reads it as '*' (within one name) and Roster as any folders";
  return undefined;
}

function coverageProblems(ctx: CheckContext, { item, doc }: Entry<Delegation>): Diagnostic[] {
  const files = [...new Set(ctx.declared.map((d) => d.doc.file))];
  const covers = (glob: string) => files.some((file) => coversFile({ paths: [glob] }, file));
  const hint =
    'check it against the files, relative to the repository root: ' +
    'a typo leaves the files it meant outside the delegation, under no ceiling';
  if (!item.paths.some(covers))
    return [
      diag(
        doc,
        ['spec', 'paths'],
        'delegation',
        `Delegation ${item.name} covers no config file of this repository (paths: ${item.paths.join(', ')})`,
        {
          severity: 'warning',
          hint,
        },
      ),
    ];
  return item.paths.flatMap((glob, i) =>
    /[*?]/.test(glob) || covers(glob)
      ? []
      : [
          diag(doc, ['spec', 'paths', i], 'delegation', `path "${glob}" covers no config file of this repository`, {
            severity: 'warning',
            hint,
          }),
        ],
  );
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
  const s = ctx.settings;
  const reserved = [...s.protectedNamespaces, s.tokenNamespace, s.delegationNamespace];
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

/** A Delegation as its (possibly invalid) document says, for messages about files no document came from. */
interface DeclaredDelegation {
  name: string;
  paths: string[];
  ceiling: string[];
  namespaces: string[];
}

function declaredDelegations(docs: readonly LoadedDocument[]): DeclaredDelegation[] {
  const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  return docs.flatMap((doc) => {
    const v = doc.value as { kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> } | null;
    const name = v?.metadata?.name;
    if (v?.kind !== 'Delegation' || typeof name !== 'string') return [];
    const spec = v.spec ?? {};
    return [{ name, paths: strings(spec.paths), ceiling: strings(spec.ceiling), namespaces: strings(spec.namespaces) }];
  });
}

/**
 * Loading ignores every symbolic link (with a warning). Once the repository delegates paths, a link is an error
 * that names the delegations on either side of it: the one whose path holds the link, and the one (or the platform)
 * whose file it points at; a link could otherwise carry a file past the review and the limits its path has.
 */
export function describeLinks(
  diagnostics: readonly Diagnostic[],
  docs: readonly LoadedDocument[],
  files: readonly SourceFile[],
): Diagnostic[] {
  const delegations = declaredDelegations(docs);
  if (delegations.length === 0) return [...diagnostics];
  const limits = (d: DeclaredDelegation) =>
    `Delegation ${d.name} (ceiling ${d.ceiling.join(', ')}; namespaces ${d.namespaces.join(', ')})`;
  const owner = (path: string) => delegationsCovering(path, delegations)[0];
  return diagnostics.map((d) => {
    if (d.code !== 'symlink') return d;
    const file = files.find((f) => f.path === d.file);
    const link = file && 'link' in file ? file.link : undefined;
    if (link === undefined) return d;
    const target = posix.isAbsolute(link) ? link : posix.normalize(posix.join(posix.dirname(d.file), link));
    const inside = !target.startsWith('../') && !posix.isAbsolute(target);
    const [from, to] = [owner(d.file), inside ? owner(target) : undefined];
    const here = from ? `in a path delegated by ${limits(from)}` : 'in a platform path';
    const there = !inside ? 'outside the repository' : to ? `delegated by ${limits(to)}` : 'a platform file';
    return {
      ...d,
      severity: 'error',
      message: `${d.message}: the link sits ${here} and points at ${target}, ${there}`,
    };
  });
}

/**
 * A Delegation's paths, read by two programs that must agree: Roster (which files a delegation's limits hold) and
 * the forge (whose review CODEOWNERS asks for). A glob they would read differently, a path covering CODEOWNERS
 * itself, paths of two delegations that can meet, or a plain path that covers nothing are refused or flagged here.
 */

import type { Diagnostic } from '../diagnostics.js';
import { CODEOWNERS_LOCATIONS, coversFile, globsOverlap } from '../model/delegations.js';
import type { Delegation } from '../model/types.js';
import type { Entry } from './collect.js';
import type { CheckContext } from './context.js';
import { diag, where } from './report.js';

export function named(entry: Entry<Delegation>): string {
  return `Delegation ${entry.item.name} (${where(entry.doc, [])})`;
}

/**
 * A plain path (no wildcard) that covers no config file, or a delegation none of whose paths covers one, delegates
 * nothing: a typo would leave the files it meant outside the delegation, under no ceiling. A glob may wait for files.
 */
export function pathProblems(ctx: CheckContext, entry: Entry<Delegation>): Diagnostic[] {
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
  const files = configFiles(ctx);
  const covered = item.paths.map((glob) => files.some((file) => coversFile({ paths: [glob] }, file)));
  const hint =
    'check it against the files, relative to the repository root: ' +
    'a typo leaves the files it meant outside the delegation, under no ceiling';
  if (!covered.includes(true))
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
    /[*?]/.test(glob) || covered[i]
      ? []
      : [
          diag(doc, ['spec', 'paths', i], 'delegation', `path "${glob}" covers no config file of this repository`, {
            severity: 'warning',
            hint,
          }),
        ],
  );
}

/** The repository's config files (those a document came from), once per run rather than once per delegation. */
function configFiles(ctx: CheckContext): readonly string[] {
  let files = filesCache.get(ctx);
  if (!files) filesCache.set(ctx, (files = [...new Set(ctx.declared.map((d) => d.doc.file))]));
  return files;
}
const filesCache = new WeakMap<CheckContext, readonly string[]>();

/**
 * Paths of two delegations that can cover the same file, found before any file is there. Neither delegation would
 * win such a file: it is refused (checkDelegationOverlap) once it exists.
 */
export function pathOverlapProblems(ctx: CheckContext, { item, doc }: Entry<Delegation>): Diagnostic[] {
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

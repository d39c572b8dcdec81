/** Every name a document refers to exists: grant roles, token owners, clusters in selectors. */

import type { Diagnostic } from '../diagnostics.js';
import type { JsonPath, LoadedDocument } from '../load/types.js';
import { BUILTIN_ROLE_NAMES } from '../model/builtins-names.js';
import type { ClusterSelector } from '../model/types.js';
import { heldGrants, knownRoleNames, type Check, type CheckContext, type HeldGrant } from './context.js';
import { diag } from './report.js';
import { didYouMean } from './suggest.js';
import { matchesLabels } from '../model/patterns.js';

export const checkGrantRoles: Check = (ctx) => {
  const known = knownRoleNames(ctx);
  return heldGrants(ctx)
    .filter(({ grant }) => !known.includes(grant.role))
    .map(({ grant, doc, path }) => unknownRole(doc, [...path, 'role'], grant.role, known));
};

/** Shared with the `extends` check. */
export function unknownRole(doc: LoadedDocument, path: JsonPath, name: string, known: string[]): Diagnostic {
  const mean = didYouMean(name, known);
  const hint = mean
    ? undefined
    : `built-in roles are ${BUILTIN_ROLE_NAMES.join(', ')}; or define a Role named "${name}"`;
  return diag(doc, path, 'unknown-role', `unknown role "${name}"${mean}`, hint ? { hint } : {});
}

export const checkTokenOwners: Check = (ctx) => {
  const teams = ctx.names.Team;
  return ctx.c.tokens
    .filter(({ item }) => !teams.has(item.owner))
    .map(({ item, doc }) =>
      diag(doc, ['spec', 'owner'], 'unknown-team', `unknown team "${item.owner}"${didYouMean(item.owner, teams)}`, {
        hint: "a token's owner must be the metadata.name of a Team",
      }),
    );
};

export const checkClusterSelectors: Check = (ctx) =>
  heldGrants(ctx).flatMap(({ grant, doc, path }: HeldGrant) =>
    selectorProblems(ctx, doc, [...path, 'clusters'], grant.clusters),
  );

/** Names in a cluster selector (at `path`) that no Cluster defines, or labels no Cluster has. */
export function selectorProblems(
  ctx: CheckContext,
  doc: LoadedDocument,
  path: JsonPath,
  sel: ClusterSelector,
): Diagnostic[] {
  const clusters = ctx.names.Cluster;
  if ('names' in sel) {
    return sel.names.flatMap((name, i) =>
      clusters.has(name)
        ? []
        : [
            diag(
              doc,
              [...path, 'names', i],
              'unknown-cluster',
              `unknown cluster "${name}"${didYouMean(name, clusters)}`,
              {
                hint: clusters.size
                  ? `known clusters: ${[...clusters].sort().join(', ')}`
                  : 'no Cluster documents are defined',
              },
            ),
          ],
    );
  }
  // A rejected Cluster document may carry the labels; its own error comes first.
  if (!('matchLabels' in sel) || ctx.incomplete.has('Cluster')) return [];
  if (ctx.c.clusters.some(({ item }) => matchesLabels(item.labels, sel.matchLabels))) return [];
  const shown = Object.entries(sel.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    diag(doc, [...path, 'matchLabels'], 'no-matching-cluster', `no cluster has the labels ${shown}`, {
      hint: 'check the labels in metadata.labels of your Cluster documents, or select clusters by name',
    }),
  ];
}

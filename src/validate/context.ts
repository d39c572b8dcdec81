/** What every cross-file check receives, and small lookups they share. */

import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
import { BUILTIN_ROLE_SCOPES, isBuiltinRole } from '../model/builtins-names.js';
import type { AccessToken, Grant, Kind, RoleScope, Settings, Team } from '../model/types.js';
import type { Collected, Entry } from './collect.js';

export interface CheckContext {
  c: Collected;
  settings: Settings;
  now: Date;
  /** Every document with a known kind and a string name, in input order. */
  declared: Declared[];
  /** Names per kind from every document that declared one, even if its schema failed: no cascades of "unknown". */
  names: Record<Kind, Set<string>>;
  /** Kinds with a document the schema rejected: checks that need those documents' contents stay quiet. */
  incomplete: Set<Kind>;
}

export interface Declared {
  kind: Kind;
  name: string;
  doc: LoadedDocument;
}

export type Check = (ctx: CheckContext) => Diagnostic[];

/** A grant with who holds it and where it is written. */
export interface HeldGrant {
  holder: { kind: 'Team' | 'AccessToken'; name: string };
  team?: Team;
  grant: Grant;
  doc: LoadedDocument;
  path: (string | number)[];
}

/** Every grant of every team and token; six checks walk this list, so it is built once per context (read-only). */
export function heldGrants(ctx: CheckContext): readonly HeldGrant[] {
  let held = heldCache.get(ctx);
  if (!held) heldCache.set(ctx, (held = listHeldGrants(ctx)));
  return held;
}
const heldCache = new WeakMap<CheckContext, readonly HeldGrant[]>();

function listHeldGrants(ctx: CheckContext): HeldGrant[] {
  return [
    ...ctx.c.teams.flatMap((e) => grantsOf(e, 'Team')),
    ...ctx.c.tokens.flatMap((e) => grantsOf(e, 'AccessToken')),
  ];
}

/**
 * Kept per entry: validate hands out the same entry for an unchanged document, and `roster audit` validates every
 * commit of a history. An entry (model object and document) never changes, so neither do its grants.
 */
const entryGrants = new WeakMap<Entry<Team | AccessToken>, readonly HeldGrant[]>();
function grantsOf(entry: Entry<Team | AccessToken>, kind: HeldGrant['holder']['kind']): readonly HeldGrant[] {
  let held = entryGrants.get(entry);
  if (!held) {
    const { item, doc } = entry;
    const team = kind === 'Team' ? { team: item as Team } : {};
    held = item.grants.map((grant) => ({
      holder: { kind, name: item.name },
      ...team,
      grant,
      doc,
      path: ['spec', 'grants', grant.index],
    }));
    entryGrants.set(entry, held);
  }
  return held;
}

/** The scope of a built-in or custom role; undefined when unknown (or its document failed the schema). */
export function roleScope(ctx: CheckContext, name: string): RoleScope | undefined {
  if (isBuiltinRole(name)) return BUILTIN_ROLE_SCOPES[name];
  let scopes = scopeCache.get(ctx);
  if (!scopes) scopeCache.set(ctx, (scopes = new Map(ctx.c.roles.map((r) => [r.item.name, r.item.scope]))));
  return scopes.get(name);
}
const scopeCache = new WeakMap<CheckContext, Map<string, RoleScope>>();

export function knownRoleNames(ctx: CheckContext): string[] {
  return [...Object.keys(BUILTIN_ROLE_SCOPES), ...ctx.names.Role];
}

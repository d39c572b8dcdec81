/** What every cross-file check receives, and small lookups they share. */

import type { Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
import { BUILTIN_ROLE_SCOPES, isBuiltinRole } from '../model/builtins-names.js';
import type { Grant, Kind, RoleScope, Settings, Team } from '../model/types.js';
import type { Collected } from './collect.js';

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

export function heldGrants(ctx: CheckContext): HeldGrant[] {
  const out: HeldGrant[] = [];
  for (const { item, doc } of ctx.c.teams) {
    for (const grant of item.grants) out.push({ holder: { kind: 'Team', name: item.name }, team: item, grant, doc, path: ['spec', 'grants', grant.index] });
  }
  for (const { item, doc } of ctx.c.tokens) {
    for (const grant of item.grants) out.push({ holder: { kind: 'AccessToken', name: item.name }, grant, doc, path: ['spec', 'grants', grant.index] });
  }
  return out;
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

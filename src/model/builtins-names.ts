/**
 * The built-in roles' names and scopes: what validation needs to resolve references. Their rules live in
 * `builtins.ts` (written with the compiler), so validation does not depend on how they compile.
 */

import type { RoleScope } from './types.js';

export const BUILTIN_ROLE_SCOPES = {
  viewer: 'namespace',
  editor: 'namespace',
  owner: 'namespace',
  'cluster-viewer': 'cluster',
  'cluster-editor': 'cluster',
  'cluster-owner': 'cluster',
} as const satisfies Record<string, RoleScope>;

export type BuiltinRoleName = keyof typeof BUILTIN_ROLE_SCOPES;

export const BUILTIN_ROLE_NAMES = Object.keys(BUILTIN_ROLE_SCOPES) as BuiltinRoleName[];

export function isBuiltinRole(name: string): name is BuiltinRoleName {
  return Object.hasOwn(BUILTIN_ROLE_SCOPES, name);
}

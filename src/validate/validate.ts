/**
 * The validate stage: loaded documents in, a typed Model out, or every problem found in one run. Each document is
 * checked against its kind's schema; the ones that pass become model objects; then cross-file checks run on those.
 */

import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
import { DEFAULT_SETTINGS, Kinds, type Kind, type Model } from '../model/types.js';
import { collect, type Collected } from './collect.js';
import type { Check, CheckContext, Declared } from './context.js';
import { checkDuplicates } from './duplicates.js';
import { checkGrantWindows, checkTokenWindows } from './expiry.js';
import { checkGrantGuardrails, checkRoleGuardrails } from './guardrail-checks.js';
import { checkGrantScope, checkProtectedNamespaces } from './grants.js';
import { checkClusterSelectors, checkGrantRoles, checkTokenOwners } from './references.js';
import { checkBuiltinNames, checkCycles, checkExtends, checkRuleScope } from './roles.js';
import { checkDocument } from './document.js';

export interface ValidateOptions {
  /** The clock for expiry checks; pass a fixed date in tests. */
  now: Date;
}

export interface ValidateResult {
  /** Present only when there are no errors (warnings allowed). */
  model?: Model;
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
}

/** Cross-file checks, in no particular order: output is sorted. */
const CHECKS: readonly Check[] = [
  checkDuplicates,
  checkBuiltinNames, checkExtends, checkCycles, checkRuleScope,
  checkGrantRoles, checkTokenOwners, checkClusterSelectors,
  checkGrantScope, checkProtectedNamespaces,
  checkGrantWindows, checkTokenWindows,
  checkRoleGuardrails, checkGrantGuardrails,
];

export function validate(docs: readonly LoadedDocument[], opts: ValidateOptions): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  const accepted: LoadedDocument[] = [];
  const incomplete = new Set<Kind>();
  for (const doc of docs) {
    const problems = checkDocument(doc);
    diagnostics.push(...problems);
    if (problems.length === 0) accepted.push(doc);
    else if (kindOf(doc)) incomplete.add(kindOf(doc)!);
  }
  const ctx = contextOf(collect(accepted), docs, incomplete, opts.now);
  for (const check of CHECKS) diagnostics.push(...check(ctx));
  const sorted = sortDiagnostics(diagnostics);
  return hasErrors(sorted) ? { diagnostics: sorted } : { model: modelOf(ctx), diagnostics: sorted };
}

function contextOf(c: Collected, docs: readonly LoadedDocument[], incomplete: Set<Kind>, now: Date): CheckContext {
  const declared = docs.flatMap((doc): Declared[] => {
    const kind = kindOf(doc);
    const name = (doc.value as { metadata?: { name?: unknown } }).metadata?.name;
    return kind && typeof name === 'string' ? [{ kind, name, doc }] : [];
  });
  const names = Object.fromEntries(Kinds.map((k) => [k, new Set(declared.filter((d) => d.kind === k).map((d) => d.name))])) as Record<Kind, Set<string>>;
  return { c, settings: c.settings[0]?.item ?? DEFAULT_SETTINGS, now, declared, names, incomplete };
}

function kindOf(doc: LoadedDocument): Kind | undefined {
  const kind = (doc.value as { kind?: unknown } | null)?.kind;
  return (Kinds as readonly unknown[]).includes(kind) ? (kind as Kind) : undefined;
}

function modelOf({ c, settings }: CheckContext): Model {
  const byName = <T extends { name: string }>(xs: { item: T }[]): T[] =>
    xs.map((x) => x.item).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { settings, clusters: byName(c.clusters), roles: byName(c.roles), teams: byName(c.teams), tokens: byName(c.tokens) };
}

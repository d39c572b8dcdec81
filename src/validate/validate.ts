/**
 * The validate stage: loaded documents in, a typed Model out, or every problem found in one run. Each document is
 * checked against its kind's schema; the ones that pass become model objects; then cross-file checks run on those.
 */

import { compareCodeUnits } from '../compare.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { LoadedDocument } from '../load/types.js';
import { DEFAULT_SETTINGS, Kinds, type Kind, type Model } from '../model/types.js';
import { collect, collectDocument, type Collected, type CollectedItem } from './collect.js';
import type { Check, CheckContext, Declared } from './context.js';
import { checkDuplicates } from './duplicates.js';
import { checkGrantWindows, checkTokenWindows } from './expiry.js';
import { checkGrantGuardrails, checkRoleGuardrails } from './guardrail-checks.js';
import { checkGrantScope, checkProtectedNamespaces } from './grants.js';
import { checkGrantPolicy } from './grant-policy.js';
import { checkClusterSelectors, checkGrantRoles, checkTokenOwners } from './references.js';
import { checkBuiltinNames, checkCycles, checkExtends, checkRuleScope } from './roles.js';
import { checkDocument } from './document.js';
import { checkReviews } from './reviews.js';
import {
  checkDelegatedGrants,
  checkDelegatedKinds,
  checkDelegatedMembers,
  checkDelegatedTokenOwners,
  checkDelegationOverlap,
  checkDelegations,
} from './delegations.js';
import { checkSuspensions } from './suspensions.js';

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
  checkBuiltinNames,
  checkExtends,
  checkCycles,
  checkRuleScope,
  checkGrantRoles,
  checkTokenOwners,
  checkClusterSelectors,
  checkGrantScope,
  checkProtectedNamespaces,
  checkGrantWindows,
  checkTokenWindows,
  checkRoleGuardrails,
  checkGrantGuardrails,
  checkReviews,
  checkDelegations,
  checkDelegatedKinds,
  checkDelegationOverlap,
  checkDelegatedGrants,
  checkDelegatedMembers,
  checkDelegatedTokenOwners,
  checkSuspensions,
  checkGrantPolicy,
];

export function validate(docs: readonly LoadedDocument[], opts: ValidateOptions): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  const accepted: CollectedItem[] = [];
  const incomplete = new Set<Kind>();
  for (const doc of docs) {
    const { problems, kind, item } = ownResult(doc);
    diagnostics.push(...problems);
    if (item) accepted.push(item);
    else if (kind) incomplete.add(kind);
  }
  const ctx = contextOf(collect(accepted), docs, incomplete, opts.now);
  for (const check of CHECKS) diagnostics.push(...check(ctx));
  const sorted = sortDiagnostics(diagnostics);
  return hasErrors(sorted) ? { diagnostics: sorted } : { model: modelOf(ctx), diagnostics: sorted };
}

/** What one document yields on its own, before any cross-file check. */
interface OwnResult {
  kind: Kind | undefined;
  /** Schema problems; diagnostics are never mutated once made, so cached ones can be handed out again. */
  problems: readonly Diagnostic[];
  /** The model object: set exactly when there are no problems. */
  item?: CollectedItem;
  /** metadata.name, when it is a string (even with schema problems). */
  name: string | undefined;
}

/**
 * Per-document results, cached by document object. They depend on the document alone, and `roster audit`
 * validates the same document objects (parsed once per blob) at every commit of a long history: the schema check
 * and building model objects dominated its run. A WeakMap keyed by the object cannot outlive the document nor mix
 * up two repositories. Handing the same model objects out again is safe because nothing past validate mutates
 * them (compile, review and audit only read the model).
 */
const ownResults = new WeakMap<LoadedDocument, OwnResult>();

function ownResult(doc: LoadedDocument): OwnResult {
  let hit = ownResults.get(doc);
  if (!hit) {
    const kind = kindOf(doc);
    // A cached document passed this check when it was cached, with the same schemas and code (cache-key.ts).
    const problems = doc.cached ? [] : checkDocument(doc);
    const name = (doc.value as { metadata?: { name?: unknown } }).metadata?.name;
    hit = { kind, problems, name: typeof name === 'string' ? name : undefined };
    if (problems.length === 0) hit.item = collectDocument(doc);
    ownResults.set(doc, hit);
  }
  return hit;
}

/** The document's own problems (its schema check), as `validate` found them. */
export function documentProblems(doc: LoadedDocument): readonly Diagnostic[] {
  return ownResult(doc).problems;
}

function contextOf(c: Collected, docs: readonly LoadedDocument[], incomplete: Set<Kind>, now: Date): CheckContext {
  const declared = docs.flatMap((doc): Declared[] => {
    const { kind, name } = ownResult(doc);
    return kind && name !== undefined ? [{ kind, name, doc }] : [];
  });
  const names = Object.fromEntries(
    Kinds.map((k) => [k, new Set(declared.filter((d) => d.kind === k).map((d) => d.name))]),
  ) as Record<Kind, Set<string>>;
  return { c, settings: c.settings[0]?.item ?? DEFAULT_SETTINGS, now, declared, names, incomplete };
}

function kindOf(doc: LoadedDocument): Kind | undefined {
  const kind = (doc.value as { kind?: unknown } | null)?.kind;
  return (Kinds as readonly unknown[]).includes(kind) ? (kind as Kind) : undefined;
}

function modelOf({ c, settings }: CheckContext): Model {
  const byName = <T extends { name: string }>(xs: { item: T }[]): T[] =>
    xs.map((x) => x.item).sort((a, b) => compareCodeUnits(a.name, b.name));
  return {
    settings,
    clusters: byName(c.clusters),
    roles: byName(c.roles),
    teams: byName(c.teams),
    tokens: byName(c.tokens),
    delegations: byName(c.delegations),
    suspensions: byName(c.suspensions),
  };
}

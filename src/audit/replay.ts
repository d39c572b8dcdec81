/**
 * Replaying history one config at a time, keeping the effective access index up to date. Only "dirty" teams and
 * tokens are recompiled at each step: those whose document changed, all of them when settings, clusters or roles
 * changed, and those with a time window boundary (notBefore / expires) between the previous step's date and this
 * one's. A change that only a time window caused is marked `byTime`, so an expiry is not blamed on the commit that
 * happened to come next.
 */

import { compile, offlineFacts } from '../compile/index.js';
import { delegationOfFile } from '../model/delegations.js';
import { reviewStatuses } from '../model/reviews.js';
import type { AccessEntry, CompileResult } from '../compile/types.js';
import type { AccessToken, Cluster, Model, SourceRef, Team } from '../model/types.js';
import { DEFAULT_SETTINGS } from '../model/types.js';
import {
  accessEnds,
  addHolding,
  endsWithItsToken,
  expiryChanges,
  groupChanges,
  holderLabel,
  holdingKey,
  holdingOf,
  removeHolding,
  riskContext,
  roleChanges,
  snapshotHolding,
  tokenChanges,
  type AccessChange,
  type AccessEnds,
  type AccessIndex,
  type ExpiryChange,
  type Holding,
  type HoldingPair,
  type RoleChange,
  type TokenChange,
} from '../review/index.js';

export interface StepChanges {
  access: AccessChange[];
  /** Access kept whose expiry this commit moved (extended, shortened, made permanent or temporary). */
  expiries: ExpiryChange[];
  tokens: TokenChange[];
  roles: RoleChange[];
}

interface HolderState {
  fingerprint: string;
  /** Index keys this holder contributes, one per access entry. */
  keys: string[];
  /** Its compiled access entries, for when each holding ends. */
  entries: readonly AccessEntry[];
}

/** The fresh compile of each dirty holder: its holdings and the entries behind them. */
type Fresh = Map<string, { holdings: Holding[]; entries: AccessEntry[] }>;

interface HolderDeclaration {
  print: string;
  /** notBefore / expires instants (ms): the holder's access can change at these times without an edit. */
  boundaries: readonly number[];
}

interface Dirty {
  edited: Set<string>;
  timed: Set<string>;
}

const EMPTY: Model = { settings: DEFAULT_SETTINGS, clusters: [], roles: [], teams: [], tokens: [] };

export class Replay {
  readonly index: AccessIndex = new Map();
  private model: Model = EMPTY;
  private roleRules: CompileResult['roleRules'] = {};
  private globalPrint = '';
  private lastNow = Number.NEGATIVE_INFINITY;
  private readonly holders = new Map<string, HolderState>();

  /**
   * Moves to `model`, compiled as of `now`, and returns what changed for whom. `blobs` (file → blob id) lets
   * unchanged documents be recognised by identity instead of by content.
   */
  step(model: Model, now: Date, blobs?: Map<string, string>): StepChanges {
    const print = printer(blobs);
    const globalPrint =
      JSON.stringify(model.settings) + model.clusters.map(print).join() + model.roles.map(print).join();
    const globalDirty = globalPrint !== this.globalPrint;
    const declared = declaredHolders(model, print);
    const expired = globalDirty ? [] : this.expireBeforeEdit(declared, now);
    const dirty = this.dirtyHolders(declared, globalDirty, now.getTime());
    const isDirty = (label: string): boolean => dirty.edited.has(label) || dirty.timed.has(label);
    const sub: Model = {
      ...model,
      teams: model.teams.filter((t) => isDirty(`team ${t.name}`)),
      tokens: model.tokens.filter((t) => isDirty(`token ${t.name}`)),
    };
    const result = compile(sub, offlineFacts(model.clusters), now);
    const fresh = freshHoldings(result, model);
    // Ends are compared only where an edit touched: an end the clock alone moved is not this commit's change.
    const watched = this.watchedKeys(dirty.edited, fresh);
    const endsBefore = this.endsOf(watched, this.model, (label) =>
      dirty.timed.has(label) ? fresh.get(label)?.entries : undefined,
    );
    const pairs = this.apply(fresh, dirty, declared);
    const tokens = tokenChanges(this.model, model);
    const expiries = expiryChanges(endsBefore, this.endsOf(watched, model)).filter((c) => !endsWithItsToken(c, tokens));
    const access = groupChanges([...expired, ...pairs], riskContext(model));
    const delegated =
      access.length + expiries.length > 0 ? holderDelegations(this.model, model) : new Map<string, string>();
    const changes: StepChanges = {
      access: withDelegations(access, delegated),
      expiries: withDelegations(expiries, delegated),
      tokens,
      roles: globalDirty ? roleChanges({ roleRules: this.roleRules }, result, model, this.index) : [],
    };
    Object.assign(this, { model, roleRules: result.roleRules, globalPrint, lastNow: now.getTime() });
    return changes;
  }

  /**
   * Holders whose document this commit edits, and whose previous version also crossed a time boundary since the
   * last step: the clock's part is applied first, as of `now`, with the previous version (marked `byTime`), so that
   * e.g. `roster tidy` removing an already expired grant is not blamed for the loss of access.
   */
  private expireBeforeEdit(declared: Map<string, HolderDeclaration>, now: Date): HoldingPair[] {
    const timed = new Set<string>();
    const previous = new Map<string, HolderDeclaration>();
    const crossed = (b: number) => b > this.lastNow && b <= now.getTime();
    // Cheap test first (boundaries are cached per holder object); most steps cross no boundary at all.
    for (const [label, h] of declaredHolders(this.model, (item) => this.fingerprintOf(item))) {
      if (!h.boundaries.some(crossed) || declared.get(label)?.print === h.print) continue;
      timed.add(label);
      previous.set(label, h);
    }
    if (timed.size === 0) return [];
    const sub: Model = {
      ...this.model,
      teams: this.model.teams.filter((t) => timed.has(`team ${t.name}`)),
      tokens: this.model.tokens.filter((t) => timed.has(`token ${t.name}`)),
    };
    const result = compile(sub, offlineFacts(this.model.clusters), now);
    return this.apply(freshHoldings(result, this.model), { edited: new Set(), timed }, previous);
  }

  /** The fingerprint the previous step recorded for a holder of the previous model. */
  private fingerprintOf(item: { source: SourceRef }): string {
    const holder = item as Team | AccessToken;
    const label = 'owner' in holder ? `token ${holder.name}` : `team ${holder.name}`;
    return this.holders.get(label)?.fingerprint ?? '';
  }

  private dirtyHolders(declared: Map<string, HolderDeclaration>, globalDirty: boolean, now: number): Dirty {
    const edited = new Set<string>([...this.holders.keys()].filter((label) => !declared.has(label)));
    const timed = new Set<string>();
    for (const [label, h] of declared) {
      if (globalDirty || this.holders.get(label)?.fingerprint !== h.print) edited.add(label);
      else if (h.boundaries.some((b) => b > this.lastNow && b <= now)) timed.add(label);
    }
    return { edited, timed };
  }

  /** Index keys the edited holders contribute before or after this step. */
  private watchedKeys(edited: ReadonlySet<string>, fresh: Fresh): Set<string> {
    const keys = new Set<string>();
    for (const label of edited) {
      for (const key of this.holders.get(label)?.keys ?? []) keys.add(key);
      for (const h of fresh.get(label)?.holdings ?? []) keys.add(holdingKey(h));
    }
    return keys;
  }

  /**
   * The holdings at `keys` as the index holds them now, and when each ends (from the entries of every holder behind
   * it; `override` gives a holder's entries to use instead of the recorded ones).
   */
  private endsOf(
    keys: ReadonlySet<string>,
    model: Model,
    override: (label: string) => readonly AccessEntry[] | undefined = () => undefined,
  ): { index: AccessIndex; ends: AccessEnds } {
    const index: AccessIndex = new Map();
    const labels = new Set<string>();
    for (const key of keys) {
      const held = snapshotHolding(this.index.get(key));
      if (!held) continue;
      index.set(key, held);
      for (const label of held.via.keys()) labels.add(label);
    }
    if (index.size === 0) return { index, ends: new Map() };
    const access = [...labels].flatMap((label) => override(label) ?? this.holders.get(label)?.entries ?? []);
    return { index, ends: accessEnds([{ access }], model) };
  }

  /** Swaps the dirty holders' entries in the index; returns before/after for every key they touched. */
  private apply(fresh: Fresh, dirty: Dirty, declared: Map<string, HolderDeclaration>): HoldingPair[] {
    const labels: string[] = [];
    for (const label of [...dirty.edited, ...dirty.timed]) {
      const mine = fresh.get(label);
      const same = this.sameKeys(label, mine?.holdings ?? []);
      const print = declared.get(label)?.print;
      if (same && print !== undefined) Object.assign(same, { fingerprint: print, entries: mine?.entries ?? [] });
      else labels.push(label);
    }
    const touched = new Map<string, boolean>();
    const touch = (key: string, byTime: boolean): void => void touched.set(key, (touched.get(key) ?? true) && byTime);
    for (const label of labels) {
      const byTime = dirty.timed.has(label);
      for (const key of this.holders.get(label)?.keys ?? []) touch(key, byTime);
      for (const h of fresh.get(label)?.holdings ?? []) touch(holdingKey(h), byTime);
    }
    const before = new Map([...touched.keys()].map((k) => [k, snapshotHolding(this.index.get(k))]));
    for (const label of labels) {
      for (const key of this.holders.get(label)?.keys ?? []) removeHolding(this.index, key, label);
      const mine = fresh.get(label);
      const keys = (mine?.holdings ?? []).map((h) => addHolding(this.index, h, label));
      const print = declared.get(label)?.print;
      if (print === undefined) this.holders.delete(label);
      else this.holders.set(label, { fingerprint: print, keys, entries: mine?.entries ?? [] });
    }
    return [...touched].map(([key, byTime]) => ({ before: before.get(key), after: this.index.get(key), byTime }));
  }

  /**
   * The holder's state when recompiling it gave the same holdings as the index holds, in the same order: then
   * nothing changes for it (every key it touches is held before and after). A role, cluster or settings change
   * recompiles every holder and most come out the same; those are only re-fingerprinted.
   */
  private sameKeys(label: string, fresh: Holding[]): HolderState | undefined {
    const state = this.holders.get(label);
    if (!state || state.keys.length !== fresh.length) return undefined;
    const same = fresh.every((h, i) => {
      const key = holdingKey(h);
      const held = this.index.get(key);
      return (
        key === state.keys[i] && held?.scope === h.scope && held.namespace === h.namespace && held.pattern === h.pattern
      );
    });
    return same ? state : undefined;
  }
}

/**
 * Which Delegation each delegated holder belongs to (`team payments` → its name): the one covering its file in this
 * commit, or in the previous one for a holder this commit removed. Once per step, for all of its changes.
 */
function holderDelegations(previous: Model, model: Model): Map<string, string> {
  const of = new Map<string, string>();
  if (!model.delegations?.length && !previous.delegations?.length) return of;
  for (const m of [previous, model])
    for (const h of [...m.teams.map((t) => ['team', t] as const), ...m.tokens.map((t) => ['token', t] as const)]) {
      const d = delegationOfFile(h[1].source.file, m.delegations);
      if (d) of.set(`${h[0]} ${h[1].name}`, d.name);
      else of.delete(`${h[0]} ${h[1].name}`);
    }
  return of;
}

/** Each change with the Delegations of its delegated holders in `via`. */
function withDelegations<C extends Pick<AccessChange, 'via' | 'delegations'>>(
  changes: C[],
  of: ReadonlyMap<string, string>,
): C[] {
  if (of.size === 0) return changes;
  return changes.map((c) => {
    const delegated = c.via.flatMap((v) => (of.has(v) ? [[v, of.get(v)!] as const] : []));
    return delegated.length === 0 ? c : { ...c, delegations: Object.fromEntries(delegated) };
  });
}

function freshHoldings(result: CompileResult, model: Model): Fresh {
  const clusters = new Map<string, Cluster>(model.clusters.map((c) => [c.name, c]));
  const fresh: Fresh = new Map();
  for (const state of result.clusters) {
    for (const entry of state.access) {
      const label = holderLabel(entry);
      const mine = fresh.get(label) ?? (fresh.set(label, { holdings: [], entries: [] }), fresh.get(label)!);
      mine.holdings.push(holdingOf(entry, clusters.get(entry.cluster)));
      mine.entries.push(entry);
    }
  }
  return fresh;
}

function declaredHolders(model: Model, print: (item: { source: SourceRef }) => string): Map<string, HolderDeclaration> {
  const out = new Map<string, HolderDeclaration>();
  const due = reviewDeadlines(model);
  const withDue = (label: string, boundaries: readonly number[]): readonly number[] => {
    const at = due.get(label);
    return at === undefined ? boundaries : [...boundaries, at];
  };
  for (const t of model.teams)
    out.set(`team ${t.name}`, {
      print: print(t),
      boundaries: withDue(
        `team ${t.name}`,
        boundariesOf(t, () => t.grants.flatMap(windowOf)),
      ),
    });
  for (const t of model.tokens)
    out.set(`token ${t.name}`, {
      print: print(t),
      boundaries: withDue(
        `token ${t.name}`,
        boundariesOf(t, () => [t.expires.getTime(), ...t.grants.flatMap(windowOf)]),
      ),
    });
  return out;
}

/**
 * Under review.onOverdue: suspend, a holder's access also ends when its review falls due. The due date depends on
 * Settings as well as on the holder, so it is not part of the per-holder cache.
 */
function reviewDeadlines(model: Model): Map<string, number> {
  if (model.settings.review?.onOverdue !== 'suspend') return new Map();
  return new Map(
    reviewStatuses(model, new Date(0)).flatMap((s) => (s.due ? [[`${s.kind} ${s.name}`, s.due.getTime()]] : [])),
  );
}

/**
 * Kept per holder object: validation hands out the same Team / AccessToken object for an unchanged document, and
 * every step lists every holder's boundaries. Model objects are never mutated, so a cached list stays right.
 */
const boundaryCache = new WeakMap<Team | AccessToken, readonly number[]>();
function boundariesOf(holder: Team | AccessToken, list: () => number[]): readonly number[] {
  let hit = boundaryCache.get(holder);
  if (!hit) boundaryCache.set(holder, (hit = list()));
  return hit;
}

function windowOf(g: { notBefore?: Date; expires?: Date }): number[] {
  return [g.notBefore, g.expires].flatMap((d) => (d ? [d.getTime()] : []));
}

/**
 * A document's identity: its file, blob id and index when blob ids are known (the same blob always yields the same
 * model object), else its content without positions (moving a grant down a line is not a change).
 */
function printer(blobs: Map<string, string> | undefined): (item: { source: SourceRef }) => string {
  return (item) => {
    const blob = blobs?.get(item.source.file);
    if (blob) return `${item.source.file}@${blob}#${item.source.doc}`;
    return JSON.stringify(item, (key, v: unknown) => (key === 'source' ? undefined : v));
  };
}

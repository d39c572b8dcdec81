/**
 * Access reviews as the model defines them: when each Team and AccessToken was last reviewed (`spec.reviewed`),
 * when it is next due (Settings `review.every`, or `review.privileged` for holders of a privileged role) and
 * whether it is overdue as of a given time. Pure: the clock is an argument, so the compiler can use it too.
 */

import { formatTime } from '../time.js';
import type { AccessToken, Grant, Model, Review, Team } from './types.js';

/** Built-in roles a review period treats as privileged (everything inside a namespace, or everywhere). */
const PRIVILEGED_BUILTINS = new Set(['owner', 'cluster-owner']);

export type ReviewState = 'ok' | 'due-soon' | 'overdue';

export interface ReviewStatus {
  kind: 'team' | 'token';
  name: string;
  /** The team itself, or the token's owning team: who answers for the review. */
  owner: string;
  privileged: boolean;
  periodSeconds: number;
  reviewed?: Review;
  /** Undefined when never reviewed: then the review is overdue already. */
  due?: Date;
  state: ReviewState;
  /** Overdue under `onOverdue: suspend`: the holder's grants do not compile. */
  suspended: boolean;
}

/** Every team and token, in name order; empty when the Settings ask for no reviews. */
export function reviewStatuses(model: Model, now: Date, soonDays = 14): ReviewStatus[] {
  if (!model.settings.review) return [];
  return [
    ...model.teams.map((t) => statusOf(model, 'team', t, t.name, now, soonDays)),
    ...model.tokens.map((t) => statusOf(model, 'token', t, t.owner, now, soonDays)),
  ];
}

/** The status of one holder, or undefined when reviews are off. */
export function reviewStatusOf(
  model: Model,
  holder: { kind: 'team' | 'token'; name: string },
  now: Date,
): ReviewStatus | undefined {
  if (!model.settings.review) return undefined;
  if (holder.kind === 'team') {
    const team = model.teams.find((t) => t.name === holder.name);
    return team ? statusOf(model, 'team', team, team.name, now, 0) : undefined;
  }
  const token = model.tokens.find((t) => t.name === holder.name);
  return token ? statusOf(model, 'token', token, token.owner, now, 0) : undefined;
}

function statusOf(
  model: Model,
  kind: 'team' | 'token',
  holder: Team | AccessToken,
  owner: string,
  now: Date,
  soonDays: number,
): ReviewStatus {
  const policy = model.settings.review!;
  const privileged = holder.grants.some((g) => isPrivilegedGrant(model, g));
  const periodSeconds = privileged ? policy.privilegedSeconds : policy.everySeconds;
  const status: ReviewStatus = {
    kind,
    name: holder.name,
    owner,
    privileged,
    periodSeconds,
    state: 'overdue',
    suspended: false,
  };
  if (holder.reviewed) {
    status.reviewed = holder.reviewed;
    status.due = new Date(holder.reviewed.at.getTime() + periodSeconds * 1000);
    const left = status.due.getTime() - now.getTime();
    status.state = left <= 0 ? 'overdue' : left <= soonDays * 86_400_000 ? 'due-soon' : 'ok';
  }
  status.suspended = status.state === 'overdue' && policy.onOverdue === 'suspend';
  return status;
}

function isPrivilegedGrant(model: Model, grant: Grant): boolean {
  if (grant.privileged || PRIVILEGED_BUILTINS.has(grant.role)) return true;
  return model.roles.find((r) => r.name === grant.role)?.privileged === true;
}

/** `team payments: review overdue since 2026-01-01T00:00:00Z (last by Ada <ada@example.com>)` — for messages. */
export function describeReview(status: ReviewStatus): string {
  if (!status.reviewed) return `${status.kind} ${status.name}: never reviewed`;
  const when = formatTime(status.due!);
  const verb = status.state === 'overdue' ? 'overdue since' : 'due';
  return `${status.kind} ${status.name}: review ${verb} ${when} (last by ${status.reviewed.by})`;
}

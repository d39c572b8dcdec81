/** What the edit stage is asked to do, and what it hands back: changed files and sentences about the change. */

import type { FileChange } from './files.js';
import type { Subject } from './subject.js';

/** A cluster selector as written in a grant: names, or labels; absent = every cluster. */
export type ClusterChoice = { names: string[] } | { matchLabels: Record<string, string> };

export interface GrantRequest {
  subject: Subject;
  role: string;
  namespaces: string[];
  clusters?: ClusterChoice;
  /** The team to write to; default: the subject's one team, else a new team in teams/. */
  team?: string;
  expires?: Date;
  /** Written as the grant's description, and as the commit's Roster-Reason trailer. */
  reason?: string;
  /** Writes `privileged: true`: acknowledges a grant the guardrails flag (cluster-owner to a team with groups). */
  privileged?: boolean;
}

export interface RevokeRequest {
  subject: Subject;
  /** Without a role: the subject leaves the team. */
  role?: string;
  namespaces: string[];
  clusters?: ClusterChoice;
  team?: string;
}

export interface EditPlan {
  changes: FileChange[];
  /** What was done, one sentence each: `added alice@example.com to team payments (teams/payments.yaml)`. */
  done: string[];
  /** Set when nothing needed doing: why. */
  noop?: string;
}

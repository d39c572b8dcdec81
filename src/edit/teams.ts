/** Finding the team a command edits, and the text positions (file, document, grant index) the model points back to. */

import { EditError } from './errors.js';
import type { ClusterSelector, Grant, Model, Team } from '../model/types.js';
import { describeSubject, isMember, type Subject } from './subject.js';
import type { ClusterChoice } from './types.js';
import { formatTime } from '../time.js';

/** `payments (teams/payments.yaml)` */
export function teamLabel(team: Team): string {
  return `team ${team.name} (${team.source.file})`;
}

export function teamsOf(model: Model, subject: Subject): Team[] {
  return model.teams.filter((t) => isMember(t.members, subject));
}

export function findTeam(model: Model, name: string): Team | undefined {
  return model.teams.find((t) => t.name === name);
}

/** One team from several candidates, or a clear error that lists them. */
export function onlyOne(candidates: readonly Team[], subject: Subject, what: string): Team {
  if (candidates.length === 1) return candidates[0]!;
  throw new EditError(
    'ambiguous-team',
    `${describeSubject(subject)} ${what} in ${candidates.length} teams: ${candidates.map(teamLabel).join(', ')}; ` +
      `choose one with --team NAME`,
    { teams: candidates.map((t) => t.name) },
  );
}

export function sameClusters(a: ClusterSelector, b: ClusterChoice | undefined): boolean {
  const want: ClusterSelector = b ?? { all: true };
  return canonical(a) === canonical(want);
}

function canonical(s: ClusterSelector): string {
  if ('all' in s) return 'all';
  if ('names' in s) return `names:${[...s.names].sort().join(',')}`;
  return `labels:${Object.entries(s.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',')}`;
}

/** How a grant reads in messages: `editor in payments, payments-* on {env: prod} until 2026-12-02T05:00:00Z`. */
export function describeGrant(g: Pick<Grant, 'role' | 'namespaces' | 'clusters' | 'expires'>): string {
  const where = g.namespaces.length > 0 ? ` in ${g.namespaces.join(', ')}` : ' cluster-wide';
  const on =
    'all' in g.clusters
      ? ''
      : 'names' in g.clusters
        ? ` on ${g.clusters.names.join(', ')}`
        : ` on clusters labelled ${Object.entries(g.clusters.matchLabels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}`;
  const until = g.expires ? ` until ${formatTime(g.expires)}` : '';
  return `${g.role}${where}${on}${until}`;
}

/**
 * `roster revoke` as an edit: remove exactly the access named. Without a role the subject leaves the team; with a
 * role the team's grants of it go (with `-n`, only those namespaces are taken out of their lists). A team left with
 * no grants and nobody but the subject, named as grant names a new team, is removed whole, so grant-then-revoke of
 * a new team leaves no trace.
 */

import type { RepoFile } from '../load/types.js';
import type { Grant, Model, Team } from '../model/types.js';
import { EditError } from './errors.js';
import { EditedFiles } from './files.js';
import { describeSubject, isMember, MEMBER_FIELD, personalTeamName, type Subject } from './subject.js';
import { describeGrant, findTeam, onlyOne, sameClusters, teamLabel, teamsOf } from './teams.js';
import type { EditPlan, RevokeRequest } from './types.js';
import { collectionAt, parseFile, removeDocument, removeItem, removePair } from './yaml.js';

export function planRevoke(files: readonly RepoFile[], model: Model, req: RevokeRequest): EditPlan {
  const edited = new EditedFiles(files);
  const candidates = candidateTeams(model, req);
  if (candidates.length === 0) return { changes: [], done: [], noop: nothingToRevoke(req) };
  const team = onlyOne(candidates, req.subject, req.role ? `holds ${req.role}` : 'is a member');
  const done = req.role ? removeGrants(edited, team, req) : [leave(edited, team, req.subject)];
  if (done.length === 0) return { changes: [], done: [], noop: nothingToRevoke(req) };
  const members = Object.values(team.members).flat().length;
  const grantsLeft = grantsAfter(edited, team);
  // Only the subject's own team (as grant creates it) goes whole; a members-only team someone wrote stays.
  if (grantsLeft === 0 && members === 1 && team.name === personalTeamName(req.subject)) {
    removeTeam(edited, team);
    done.push(`removed ${teamLabel(team)}: no grants and nobody else left`);
  }
  return { changes: edited.changes(), done };
}

function candidateTeams(model: Model, req: RevokeRequest): Team[] {
  if (req.team !== undefined) {
    const team = findTeam(model, req.team);
    if (!team)
      throw new EditError(
        'not-a-member',
        `--team ${req.team}: no team of that name in the repository; teams: ` +
          `${model.teams.map((t) => t.name).join(', ') || 'none'}`,
      );
    if (!isMember(team.members, req.subject))
      throw new EditError(
        'not-a-member',
        `${describeSubject(req.subject)} is not a member of ${teamLabel(team)}; ` +
          `access through a team is revoked by leaving it or by removing the team's grant`,
      );
    return req.role && matchingGrants(team, req).length === 0 ? [] : [team];
  }
  const mine = teamsOf(model, req.subject);
  return req.role ? mine.filter((t) => matchingGrants(t, req).length > 0) : mine;
}

function matchingGrants(team: Team, req: RevokeRequest): Grant[] {
  return team.grants.filter(
    (g) =>
      g.role === req.role &&
      (req.clusters === undefined || sameClusters(g.clusters, req.clusters)) &&
      (req.namespaces.length === 0 || req.namespaces.some((ns) => g.namespaces.includes(ns))),
  );
}

function nothingToRevoke(req: RevokeRequest): string {
  const what = req.role
    ? `no grant of ${req.role}${req.namespaces.length > 0 ? ` in ${req.namespaces.join(', ')}` : ''}`
    : 'no team membership';
  return (
    `${describeSubject(req.subject)} has ${what} through a team it is a member ` +
    `of${req.team ? ` (${req.team})` : ''}; nothing to revoke`
  );
}

/** Grants of the role go; with -n only those namespaces, and a grant whose list empties goes whole. Last first. */
function removeGrants(edited: EditedFiles, team: Team, req: RevokeRequest): string[] {
  const { file, doc } = team.source;
  const done: string[] = [];
  for (const g of [...matchingGrants(team, req)].sort((a, b) => b.index - a.index)) {
    const drop = req.namespaces.filter((ns) => g.namespaces.includes(ns));
    if (req.namespaces.length === 0 || drop.length === g.namespaces.length) {
      edited.edit(file, (t) => removeItem(t, doc, ['spec', 'grants'], g.index));
      done.push(`removed grant ${describeGrant(g)} from ${teamLabel(team)}`);
      continue;
    }
    const indices = drop.map((ns) => g.namespaces.indexOf(ns)).sort((a, b) => b - a);
    for (const i of indices) edited.edit(file, (t) => removeItem(t, doc, ['spec', 'grants', g.index, 'namespaces'], i));
    done.push(`narrowed grant ${describeGrant(g)} in ${teamLabel(team)}: removed ${drop.join(', ')}`);
  }
  if (grantsAfter(edited, team) === 0) edited.edit(file, (t) => removePair(t, doc, ['spec'], 'grants'));
  return done;
}

function leave(edited: EditedFiles, team: Team, subject: Subject): string {
  const { file, doc } = team.source;
  const field = MEMBER_FIELD[subject.kind];
  const list = team.members[field];
  const others = Object.values(team.members).flat().length - 1;
  edited.edit(file, (t) =>
    others === 0
      ? removePair(t, doc, ['spec'], 'members')
      : list.length === 1
        ? removePair(t, doc, ['spec', 'members'], field)
        : removeItem(t, doc, ['spec', 'members', field], list.indexOf(subject.name)),
  );
  return `removed ${describeSubject(subject)} from ${teamLabel(team)}`;
}

function grantsAfter(edited: EditedFiles, team: Team): number {
  if (!edited.has(team.source.file)) return 0;
  const grants = collectionAt(parseFile(edited.text(team.source.file))[team.source.doc]!, ['spec', 'grants']);
  return grants?.items.length ?? 0;
}

/** The team's document goes; the file too when it held nothing else. */
export function removeTeam(edited: EditedFiles, team: Team): void {
  const { file, doc } = team.source;
  const text = edited.text(file);
  const docs = parseFile(text);
  edited.write(file, docs.length === 1 ? undefined : removeDocument(text, doc));
}

/**
 * `roster grant` as an edit: add the subject to the right team (the named one, the one it already belongs to, or a
 * new team file in teams/) and the grant to that team, unless an existing grant already covers it (nothing to do) or
 * is the same grant ending sooner (its expiry moves). Pure: files and
 * the validated model in, changed files out.
 */

import type { RepoFile } from '../load/types.js';
import { globToRegExp, isPattern } from '../model/patterns.js';
import type { Grant, Model, Team } from '../model/types.js';
import { formatExpiry } from './duration.js';
import { EditError } from './errors.js';
import { EditedFiles } from './files.js';
import { describeSubject, isMember, MEMBER_FIELD, personalTeamName, type Subject } from './subject.js';
import { describeGrant, findTeam, onlyOne, sameClusters, teamLabel, teamsOf } from './teams.js';
import type { EditPlan, GrantRequest } from './types.js';
import { addPair, appendItem, collectionAt, parseFile, render, setScalar } from './yaml.js';

export const TEAMS_FOLDER = 'teams';

export function planGrant(files: readonly RepoFile[], model: Model, req: GrantRequest): EditPlan {
  const edited = new EditedFiles(files);
  const team = targetTeam(model, req);
  if (!team) return newTeamFile(edited, model, req);
  const covering = team.grants.find((g) => covers(g, req));
  const done: string[] = [];
  if (!isMember(team.members, req.subject)) {
    addMember(edited, team, req.subject);
    done.push(`added ${describeSubject(req.subject)} to ${teamLabel(team)}`);
  }
  const shorter = covering ? undefined : team.grants.find((g) => extendable(g, req));
  if (covering) {
    const at = `${covering.source.file}:${covering.source.line}`;
    const already = `${teamLabel(team)} already grants ${describeGrant(covering)} (${at})`;
    if (done.length === 0) return { changes: [], done: [], noop: `${already}; nothing to change` };
    done.push(already);
  } else if (shorter && req.expires) {
    done.push(extendGrant(edited, team, shorter, req.expires));
  } else {
    done.push(addGrant(edited, team, req));
  }
  return { changes: edited.changes(), done };
}

/**
 * The same grant (role, clusters, namespaces) ending sooner: asking again, e.g. the same `--for 4h` an hour later,
 * moves its expiry rather than adding a second, almost identical grant beside it.
 */
function extendable(g: Grant, req: GrantRequest): boolean {
  if (g.role !== req.role || g.notBefore || !g.expires || !req.expires || g.expires >= req.expires) return false;
  if (!sameClusters(g.clusters, req.clusters)) return false;
  const want = new Set(req.namespaces);
  return g.namespaces.length === want.size && g.namespaces.every((ns) => want.has(ns));
}

function extendGrant(edited: EditedFiles, team: Team, g: Grant, expires: Date): string {
  const { file, doc } = team.source;
  edited.edit(file, (t) => setScalar(t, doc, ['spec', 'grants', g.index, 'expires'], formatExpiry(expires)));
  return (
    `extended grant ${describeGrant(g)} of team ${team.name} (${g.source.file}:${g.source.line}) ` +
    `to ${formatExpiry(expires)}`
  );
}

/** The team to write to; undefined: a new team file. */
function targetTeam(model: Model, req: GrantRequest): Team | undefined {
  if (req.team !== undefined) return findTeam(model, req.team);
  const mine = teamsOf(model, req.subject);
  if (mine.length === 0) {
    const name = personalTeamName(req.subject);
    const taken = findTeam(model, name);
    if (taken)
      throw new EditError(
        'team-exists',
        `${describeSubject(req.subject)} is in no team, and a new team would be named "${name}", ` +
          `which ${teamLabel(taken)} already is; choose a team with --team NAME`,
      );
    return undefined;
  }
  return onlyOne(mine, req.subject, 'is a member');
}

/** An existing grant that already gives what is asked: same role and clusters, every namespace, at least as long. */
function covers(g: Grant, req: GrantRequest): boolean {
  if (g.role !== req.role || g.notBefore || !sameClusters(g.clusters, req.clusters)) return false;
  if (g.expires && (!req.expires || g.expires < req.expires)) return false;
  return req.namespaces.every((ns) =>
    g.namespaces.some((have) => have === ns || (isPattern(have) && globToRegExp(have).test(ns))),
  );
}

function addMember(edited: EditedFiles, team: Team, subject: Subject): void {
  const { file, doc } = team.source;
  const field = MEMBER_FIELD[subject.kind];
  const text = edited.text(file);
  const parsed = parseFile(text)[doc]!;
  if (collectionAt(parsed, ['spec', 'members', field]))
    edited.write(file, appendItem(text, doc, ['spec', 'members', field], subject.name));
  else if (collectionAt(parsed, ['spec', 'members']))
    edited.write(file, addPair(text, doc, ['spec', 'members'], field, [subject.name]));
  else edited.write(file, addPair(text, doc, ['spec'], 'members', { [field]: [subject.name] }));
}

function addGrant(edited: EditedFiles, team: Team, req: GrantRequest): string {
  const { file, doc } = team.source;
  const grant = grantRecord(req);
  const text = edited.text(file);
  if (collectionAt(parseFile(text)[doc]!, ['spec', 'grants']))
    edited.write(file, appendItem(text, doc, ['spec', 'grants'], grant));
  else edited.write(file, addPair(text, doc, ['spec'], 'grants', [grant]));
  return `added grant ${describeRequest(req)} to ${teamLabel(team)}`;
}

/** The grant as it is written: only the fields given, in the order the reference documents them. */
export function grantRecord(req: GrantRequest): Record<string, unknown> {
  return {
    role: req.role,
    ...(req.namespaces.length > 0 ? { namespaces: req.namespaces } : {}),
    ...(req.clusters ? { clusters: req.clusters } : {}),
    ...(req.expires ? { expires: formatExpiry(req.expires) } : {}),
    ...(req.reason ? { description: req.reason } : {}),
    ...(req.privileged ? { privileged: true } : {}),
  };
}

export function describeRequest(req: GrantRequest): string {
  return describeGrant({
    role: req.role,
    namespaces: req.namespaces,
    clusters: req.clusters ?? { all: true },
    ...(req.expires ? { expires: req.expires } : {}),
  });
}

/** A new team in teams/, with the schema modeline other team files in that folder use. */
function newTeamFile(edited: EditedFiles, model: Model, req: GrantRequest): EditPlan {
  const name = req.team ?? personalTeamName(req.subject);
  const path = `${TEAMS_FOLDER}/${name}.yaml`;
  if (edited.has(path))
    throw new EditError('team-exists', `${path} exists but declares no team "${name}"; choose a team with --team NAME`);
  const modeline = model.teams
    .map((t) => t.source.file)
    .filter((f) => f.startsWith(`${TEAMS_FOLDER}/`) && f.split('/').length === 2)
    .map((f) => /^# yaml-language-server: \$schema=\S+\n/.exec(edited.text(f))?.[0])
    .find((line) => line !== undefined);
  const body = render({
    apiVersion: 'roster/v1',
    kind: 'Team',
    metadata: { name },
    spec: { members: { [MEMBER_FIELD[req.subject.kind]]: [req.subject.name] }, grants: [grantRecord(req)] },
  });
  edited.write(path, `${modeline ?? ''}${body}`);
  return {
    changes: edited.changes(),
    done: [`created team ${name} (${path}) with ${describeSubject(req.subject)} and grant ${describeRequest(req)}`],
  };
}

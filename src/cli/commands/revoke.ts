/**
 * `roster revoke SUBJECT [ROLE]`: remove exactly that access (the membership, the team's grant of the role, or some
 * namespaces from its list), then say what access the subject still has through other teams.
 */

import type { Command } from 'commander';
import { compile, offlineFacts } from '../../compile/index.js';
import { planRevoke } from '../../edit/revoke.js';
import { describeSubject, parseSubject, type Subject } from '../../edit/subject.js';
import type { RevokeRequest } from '../../edit/types.js';
import type { Model } from '../../model/types.js';
import { indexAccess, type Person } from '../../review/index.js';
import { repeatable } from '../common.js';
import { applyChanges, finishEdit, openForEdit, slug, withEditOptions, type EditFlags } from '../edit-command.js';
import type { RunState } from '../io.js';
import { validateRepo } from '../../validate/index.js';
import { clusterChoice, requireKnownClusters, requireKnownRole } from '../edit-input.js';

interface RevokeFlags extends EditFlags {
  namespace: string[];
  clusters?: string;
  selector?: string;
  team?: string;
  reason?: string;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('revoke')
    .description("remove a subject's access: its team membership, a team's grant of a role, or namespaces from it")
    .argument('<subject>', 'user:EMAIL, group:NAME or sa:NAMESPACE/NAME')
    .argument('[role]', 'the role to revoke; without it the subject leaves the team')
    .option('-n, --namespace <ns>', 'only these namespaces of the grant; repeat for several', repeatable, [])
    .option('--clusters <names>', 'only the grant for these clusters, comma-separated')
    .option('-l, --selector <labels>', 'only the grant for clusters with these labels, e.g. env=prod')
    .option('--team <name>', 'the team to revoke from (needed when the subject is in several)')
    .option('--reason <text>', "why: the commit's Roster-Reason trailer");
  withEditOptions(cmd).action(async (subjectText: string, role: string | undefined, flags: RevokeFlags) => {
    const subject = parseSubject(subjectText);
    const clusters = clusterChoice(flags);
    const opened = await openForEdit(flags, state);
    const { model, files, at } = opened.context;
    if (role !== undefined) requireKnownRole(model, role);
    requireKnownClusters(model, clusters);
    const req: RevokeRequest = {
      subject,
      namespaces: flags.namespace,
      ...(role !== undefined ? { role } : {}),
      ...(clusters ? { clusters } : {}),
      ...(flags.team !== undefined ? { team: flags.team } : {}),
    };
    const plan = planRevoke(files, model, req);
    const what = role
      ? `${role}${flags.namespace.length > 0 ? ` in ${flags.namespace.join(', ')}` : ''}`
      : 'team membership';
    await finishEdit(state, flags, opened, plan, {
      verb: 'revoke',
      title: `Revoke ${what} from ${describeSubject(subject)}`,
      slug: slug(subject.name.split('@')[0] ?? subject.name, role ?? 'member'),
      trailers: { 'Roster-Reason': flags.reason },
    });
    const after = validateRepo(applyChanges(files, plan.changes), { now: at }).model ?? model;
    const say = flags.output === 'markdown' ? state.io.err : state.io.out;
    say(remainingAccess(after, subject, at));
  });
}

/** What the subject still holds after the edit, through any team (offline: patterns stay patterns). */
export function remainingAccess(model: Model, subject: Subject, at: Date): string {
  const who: Person = {
    kind: subject.kind === 'serviceAccount' ? 'serviceaccount' : subject.kind,
    name: subject.name,
  };
  const result = compile(model, offlineFacts(model.clusters), at);
  const rows = new Map<string, { text: string; clusters: string[] }>();
  for (const h of indexAccess(result.clusters, model).values()) {
    if (h.who.kind !== who.kind || h.who.name !== who.name) continue;
    const where = h.namespace === undefined ? 'cluster-wide' : `in ${h.namespace}`;
    const text = `${h.role} ${where} (via ${[...h.via.keys()].sort().join(', ')})`;
    const row = rows.get(text) ?? { text, clusters: [] };
    row.clusters.push(h.cluster);
    rows.set(text, row);
  }
  const groups =
    subject.kind === 'user'
      ? `\n  (access through identity-provider groups is not known offline: ` +
        `roster access --user ${subject.name} --group G)`
      : '';
  if (rows.size === 0) return `${describeSubject(subject)} now has no access through any team.${groups}\n`;
  const lines = [...rows.values()].map((r) => `  ${r.text} on ${r.clusters.sort().join(', ')}`).sort();
  return `${describeSubject(subject)} still has:\n${lines.join('\n')}${groups}\n`;
}

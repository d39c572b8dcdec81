/**
 * `roster grant SUBJECT ROLE`: add a grant (and the member) to the right team file, edited in place, validated with
 * the full validator before anything is written; optionally committed on a new branch and pushed.
 */

import type { Command } from 'commander';
import { expiryOf, formatExpiry } from '../../edit/duration.js';
import { EditError } from '../../edit/errors.js';
import { describeRequest, planGrant } from '../../edit/grant.js';
import { describeSubject, parseSubject, type Subject } from '../../edit/subject.js';
import type { GrantRequest } from '../../edit/types.js';
import { globToRegExp, isPattern } from '../../model/patterns.js';
import type { Model } from '../../model/types.js';
import { describeRule, overlaps } from '../../validate/grant-policy.js';
import { PRIVILEGED_BUILTINS } from '../../validate/index.js';
import { repeatable } from '../common.js';
import { finishEdit, openForEdit, slug, withEditOptions, type EditFlags } from '../edit-command.js';
import { clusterChoice, requireKnownClusters, requireKnownRole } from '../edit-input.js';
import type { RunState } from '../io.js';

export interface GrantFlags extends EditFlags {
  namespace: string[];
  clusters?: string;
  selector?: string;
  team?: string;
  for?: string;
  until?: string;
  reason?: string;
  privileged?: boolean;
}

export function withGrantOptions(cmd: Command): Command {
  return withEditOptions(
    cmd
      .option('-n, --namespace <ns>', 'namespace or pattern (payments-*); repeat for several', repeatable, [])
      .option('--clusters <names>', 'only these clusters, comma-separated (default: every cluster)')
      .option('-l, --selector <labels>', 'only clusters whose labels match, e.g. env=prod,region=eu')
      .option('--team <name>', "the team to add the grant to (default: the subject's team, else a new one in teams/)")
      .option('--for <duration>', 'the grant expires after this long: 20s, 30m, 4h, 2d, 1w, 1h30m')
      .option('--until <date>', 'the grant expires then: 2027-01-31 (midnight UTC) or 2027-01-31T18:00:00Z (RFC 3339)')
      .option('--reason <text>', "why: the grant's description, and the commit's Roster-Reason trailer")
      .option(
        '--privileged',
        'write privileged: true, acknowledging a grant the guardrails flag (see docs/guardrails.md)',
      ),
  );
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('grant')
    .description('grant a user, group or service account a role, as a reviewable edit of the team files')
    .argument('<subject>', 'user:EMAIL, group:NAME or sa:NAMESPACE/NAME')
    .argument('<role>', 'a built-in or custom role')
    .addHelpText(
      'after',
      '\nExit codes: 0 done (or nothing to do); 2 refused, nothing written: a subject, role, cluster, duration or ' +
        'date that is wrong, an edit that would be invalid or break grantPolicy, a dirty tree, a commit or push that ' +
        'cannot be made, a flag that does not exist or two that exclude each other.\nSee docs/workflow.md.',
    );
  withGrantOptions(cmd).action(async (subjectText: string, role: string, flags: GrantFlags) => {
    await runGrant(state, parseSubject(subjectText), role, flags, 'grant');
  });
}

/** Shared with `roster request`, which fixes the subject to the requester and requires an expiry. */
export async function runGrant(
  state: RunState,
  subject: Subject,
  role: string,
  flags: GrantFlags,
  verb: 'grant' | 'request',
): Promise<void> {
  const clusters = clusterChoice(flags);
  const opened = await openForEdit(flags, state);
  const { model, files, at } = opened.context;
  // `roster request` has already refused a request without --for or --until (request.ts), before asking Git who asks.
  const expires = expiryOf(flags, at);
  requireKnownRole(model, role);
  requireKnownClusters(model, clusters);
  const req: GrantRequest = {
    subject,
    role,
    namespaces: flags.namespace,
    ...(clusters ? { clusters } : {}),
    ...(flags.team !== undefined ? { team: flags.team } : {}),
    ...(expires ? { expires } : {}),
    ...(flags.reason ? { reason: flags.reason } : {}),
    ...(flags.privileged ? { privileged: true } : {}),
  };
  requireReason(model, req, verb);
  const plan = planGrant(files, model, req);
  const title =
    `${verb === 'request' ? 'Request' : 'Grant'} ${describeRequest(req)} ` +
    `${verb === 'request' ? 'for' : 'to'} ${describeSubject(subject)}`;
  await finishEdit(
    state,
    flags,
    opened,
    plan,
    {
      verb,
      title,
      slug: slug(subject.name.split('@')[0] ?? subject.name, role),
      trailers: {
        'Roster-Reason': flags.reason,
        'Roster-Expires': expires ? formatExpiry(expires) : undefined,
        ...(verb === 'request' ? { 'Roster-Requested-By': subject.name } : {}),
      },
    },
    unmatchedPatterns(model, req.namespaces),
  );
}

/** Privileged roles always need a reason on request; grantPolicy rules may ask for one on every grant. */
function requireReason(model: Model, req: GrantRequest, verb: string): void {
  if (req.reason) return;
  const privileged = req.role in PRIVILEGED_BUILTINS || model.roles.some((r) => r.name === req.role && r.privileged);
  if (verb === 'request' && privileged)
    throw new EditError(
      'policy',
      `request: ${req.role} is a privileged role; say why with --reason (it lands in the commit and in roster audit)`,
    );
  const rule = model.settings.grantPolicy.find(
    (r) =>
      r.requireReason &&
      (r.roles.includes(req.role) || (r.privileged && privileged)) &&
      overlaps(req.clusters ?? { all: true }, r.clusters, model.clusters),
  );
  if (rule)
    throw new EditError(
      'policy',
      `${verb}: Settings spec.grantPolicy[${rule.index}] (${describeRule(rule)}) needs a reason; give --reason TEXT`,
    );
}

/** Patterns that match no namespace named anywhere in the config: likely a typo, so a warning. */
function unmatchedPatterns(model: Model, namespaces: readonly string[]): string[] {
  const named = new Set<string>([
    ...model.teams.flatMap((t) => t.grants.flatMap((g) => g.namespaces)),
    ...model.tokens.flatMap((t) => t.grants.flatMap((g) => g.namespaces)),
    ...model.settings.protectedNamespaces,
    model.settings.tokenNamespace,
  ]);
  const literal = [...named].filter((n) => !isPattern(n));
  return namespaces
    .filter((ns) => isPattern(ns) && !literal.some((n) => globToRegExp(ns).test(n)))
    .map(
      (ns) =>
        `namespace pattern ${ns} matches no namespace named anywhere in the config; ` +
        `it reaches matching namespaces on each cluster when applied (check the spelling)`,
    );
}

/**
 * `roster audit`: access changes from Git history (who gained or lost what, when, in which commit, by whom), and
 * "who had access to namespace N on cluster C at date D", answered from the config in force at D.
 */

import type { Command } from 'commander';
import { accessAt } from '../../audit/access-at.js';
import { renderAccessAtJson, renderAccessAtText, renderTimelineJson, renderTimelineText } from '../../audit/render.js';
import { auditTimeline } from '../../audit/timeline.js';
import type { AuditFilter } from '../../audit/filter.js';
import { UsageError } from '../../errors.js';
import { requireGit } from '../../source/index.js';
import { dateFlag, withOutputOption } from '../common.js';
import { runEvidence } from '../evidence.js';
import type { RunState } from '../io.js';

interface AuditFlags extends AuditFilter {
  repo: string;
  ref?: string;
  since?: string;
  at?: string;
  namespace?: string;
  evidence?: boolean;
  output: 'text' | 'json' | 'csv';
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('audit')
    .description('timeline of access changes from Git history, or who had access at a given time (offline)')
    .option('--repo <dir|url>', 'config repository: a folder inside a Git repository, or a Git URL', '.')
    .option('--ref <ref>', 'branch, tag or commit whose history to read (default: HEAD)')
    .option('--subject <email>', 'only changes for this user')
    .option('--group <name>', 'only changes for this group')
    .option('--team <name>', 'only changes through this team (and its tokens)')
    .option('--cluster <name>', 'only changes on this cluster')
    .option('--since <date>', 'only commits from this date on, e.g. 2025-01-01')
    .option('--at <date>', 'instead of a timeline: who had access at this time (with --namespace / --cluster)')
    .option('--namespace <name>', 'with --at: access that reaches this namespace (by name, pattern or cluster-wide)')
    .option('--evidence', 'per subject and grant: granted when and by whom, reason, expiry, reviews, end (-o csv|json)')
    .addHelpText(
      'after',
      '\nHistory is read along first parents (what landed on the branch). The JSON shapes are in docs/git.md;\n' +
        '--evidence columns in docs/compliance.md.',
    );
  withOutputOption(cmd, ['text', 'json', 'csv']).action(async (flags: AuditFlags) => {
    if (flags.output === 'csv' && !flags.evidence) throw new UsageError('audit: -o csv is for --evidence');
    if (flags.evidence && flags.at) throw new UsageError('audit: give --evidence or --at, not both');
    if (flags.namespace && !flags.at)
      throw new UsageError('audit: --namespace needs --at (who had access to a namespace at a time)');
    const checkout = await requireGit(flags.repo, { fullHistory: true, ...(flags.ref ? { ref: flags.ref } : {}) });
    const head = await checkout.git.resolveCommit(flags.ref ?? 'HEAD');
    if (flags.at) {
      const result = await accessAt(checkout.git, head, checkout.subdir, {
        at: dateFlag('--at', flags.at),
        ...pick(flags, 'namespace', 'cluster'),
      });
      state.io.out(flags.output === 'json' ? renderAccessAtJson(result) : renderAccessAtText(result));
      return;
    }
    const filter = pick(flags, 'subject', 'group', 'team', 'cluster');
    if (flags.evidence) {
      const request = { repo: flags.repo, ref: flags.ref ?? 'HEAD', head, filter };
      await runEvidence(
        {
          ...request,
          output: flags.output === 'json' ? 'json' : 'csv',
          ...(flags.since ? { since: dateFlag('--since', flags.since) } : {}),
        },
        checkout,
        state,
      );
      return;
    }
    const timeline = await auditTimeline(checkout.git, head, checkout.subdir, {
      filter,
      ...(flags.since ? { since: dateFlag('--since', flags.since) } : {}),
    });
    const meta = {
      repo: flags.repo,
      ref: flags.ref ?? 'HEAD',
      head,
      filter,
      ...(flags.since ? { since: flags.since } : {}),
    };
    state.io.out(
      flags.output === 'json'
        ? renderTimelineJson(timeline, meta)
        : renderTimelineText(timeline, `Access changes in ${flags.repo}@${meta.ref}`),
    );
  });
}

function pick<K extends keyof AuditFlags>(flags: AuditFlags, ...keys: K[]): { [P in K]?: string } {
  const out: { [P in K]?: string } = {};
  for (const k of keys) if (typeof flags[k] === 'string') out[k] = flags[k];
  return out;
}

/**
 * `roster review [--due [--within N]]`: access reviews per owner (exit 1 when any is overdue), and
 * `roster review attest NAME [--token]`: record a review in the team's (or token's) file and commit it with the
 * reviewer as author and a `Roster-Reviewed-by:` trailer.
 */

import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic } from '../../diagnostics.js';
import { EditError } from '../../edit/errors.js';
import { setReviewed } from '../../edit/reviewed.js';
import { ExitCode, InvalidConfigError, UsageError } from '../../errors.js';
import { commitFile, configuredAuthor, assertCleanForEdit, openLocal, type Author } from '../../git/index.js';
import { reviewStatusOf, reviewStatuses } from '../../model/reviews.js';
import type { Model } from '../../model/types.js';
import { renderReviewsJson, renderReviewsText, reviewLine } from '../../report/reviews.js';
import { formatTime } from '../../time.js';
import { validateRepo } from '../../validate/index.js';
import { loadConfig, withOutputOption, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';

interface DueFlags extends RepoFlags {
  due?: boolean;
  within?: string;
  output: 'text' | 'json';
}

interface AttestFlags {
  repo: string;
  token?: boolean;
  reviewer?: string;
  commit: boolean;
}

export function register(program: Command, state: RunState): void {
  const review = program
    .command('review')
    .description('access reviews: what is due or overdue per owner; `review attest NAME` records one')
    .option('--due', 'only what is overdue or due soon (exit 1 when anything is overdue)')
    .option('--within <days>', 'with --due: "due soon" means within this many days (default: expiryWarningDays)')
    .addHelpText('after', '\nSettings spec.review turns reviews on; see docs/compliance.md.');
  withOutputOption(withRepoOptions(review), ['text', 'json']).action(async (flags: DueFlags) => {
    const at = state.clock();
    const { model } = await loadConfig(flags, state.io, at);
    const policy = model.settings.review;
    if (!policy)
      throw new UsageError('no access reviews are configured: add review: {every: 90d} to the Settings spec');
    const within = flags.within !== undefined ? days(flags.within) : model.settings.expiryWarningDays;
    const all = reviewStatuses(model, at, within);
    const shown = flags.due ? all.filter((s) => s.state !== 'ok') : all;
    state.io.out(flags.output === 'json' ? renderReviewsJson(shown, policy, at) : renderReviewsText(shown, policy, at));
    if (all.some((s) => s.state === 'overdue')) state.exitCode = ExitCode.changes;
  });
  review
    .command('attest <name>')
    .description("record that a team's (or --token's) members and grants were reviewed, as a commit by the reviewer")
    .option('--token', 'NAME is an AccessToken, not a Team')
    .option('--reviewer <"Name <email>">', 'who reviewed (default: user.name and user.email from Git config)')
    .option('--no-commit', 'only edit the file; commit it yourself (e.g. in a pull request)')
    // --repo belongs to `review` (commander gives a parent's options to the parent wherever they appear).
    .action(async (name: string, flags: Omit<AttestFlags, 'repo'>) =>
      attest(name, { ...flags, repo: review.opts<{ repo: string }>().repo }, state),
    );
}

async function attest(name: string, flags: AttestFlags, state: RunState): Promise<void> {
  const at = state.clock();
  const kind = flags.token ? 'token' : 'team';
  const local = await openLocal(flags.repo);
  if (!local || local.bare)
    throw new UsageError(`${flags.repo}: review attest edits a file and commits it; run it in a Git working copy`);
  const { model, snapshot } = await loadConfig({ repo: flags.repo, worktree: true }, state.io, at);
  const holder = kind === 'team' ? model.teams.find((t) => t.name === name) : model.tokens.find((t) => t.name === name);
  if (!holder) throw new UsageError(`${kind} ${name}: not declared in ${flags.repo}${known(model, kind)}`);
  const reviewer = await reviewerOf(flags.reviewer, local.root);
  const file = relative(local.root, resolve(flags.repo, holder.source.file)).split(sep).join('/');
  if (flags.commit) await assertCleanForEdit(local.root, file);
  const text = readFileSync(join(local.root, file), 'utf8');
  const by = `${reviewer.name} <${reviewer.email}>`;
  const edited = editOrExplain(text, holder.source.doc, { at: formatTime(at), by }, file);
  // Read with --worktree, every file comes with its text (cached parses are for commit trees).
  const files = snapshot.files.filter((f): f is { path: string; text: string } => 'text' in f);
  validateEdit(files, holder.source.file, edited, at);
  const what = kind === 'team' ? 'members and grants' : 'grants';
  const message = `Review ${kind} ${name}: ${what} attested\n\nRoster-Reviewed-by: ${by}\n`;
  const commit = flags.commit
    ? await commitFile({ root: local.root, file, content: edited, message, author: reviewer, date: at })
    : await writeOnly(join(local.root, file), edited);
  const after = reviewStatusOf({ ...model, ...(await reloaded(flags.repo, at, state)) }, { kind, name }, at);
  const next = after ? `; ${reviewLine(after, at)}` : '';
  state.io.out(
    `${kind} ${name}: review recorded in ${file} (at ${formatTime(at)} by ${by})` +
      `${commit ? `, commit ${commit.slice(0, 12)}` : ', not committed'}${next}\n`,
  );
  if (!model.settings.review)
    state.io.err(
      'warning: the Settings ask for no access reviews, so nothing will ask for the next one; ' +
        'add review: {every: 90d} to the Settings spec (docs/compliance.md)\n',
    );
}

function editOrExplain(text: string, doc: number, review: { at: string; by: string }, file: string): string {
  try {
    return setReviewed(text, doc, review);
  } catch (err) {
    if (err instanceof EditError) throw new UsageError(`${file}: cannot record the review: ${err.message}`);
    throw err;
  }
}

/** The edited repository must pass the same validator as every commit before a byte is written. */
function validateEdit(files: { path: string; text: string }[], path: string, text: string, at: Date): void {
  const edited = files.map((f) => (f.path === path ? { path, text } : f));
  const errors = validateRepo(edited, { now: at }).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new InvalidConfigError(
      `the review edit would make the config invalid; nothing was written:\n${errors.map(formatDiagnostic).join('\n')}`,
    );
}

async function writeOnly(path: string, text: string): Promise<undefined> {
  const { writeFileSync, renameSync } = await import('node:fs');
  writeFileSync(`${path}.roster-tmp`, text);
  renameSync(`${path}.roster-tmp`, path);
  return undefined;
}

async function reloaded(repo: string, at: Date, state: RunState): Promise<Partial<Model>> {
  const quiet = { ...state.io, err: () => undefined };
  const { model } = await loadConfig({ repo, worktree: true }, quiet, at);
  return { teams: model.teams, tokens: model.tokens };
}

async function reviewerOf(flag: string | undefined, root: string): Promise<Author> {
  if (flag !== undefined) {
    const match = /^\s*(.+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(flag);
    if (!match) throw new UsageError(`--reviewer ${flag}: expected "Name <email>"`);
    return { name: match[1]!, email: match[2]! };
  }
  const configured = await configuredAuthor(root);
  if (!configured)
    throw new UsageError('who reviewed? give --reviewer "Name <email>" or set user.name and user.email in Git config');
  return configured;
}

function known(model: Model, kind: 'team' | 'token'): string {
  const names = (kind === 'team' ? model.teams : model.tokens).map((t) => t.name);
  return names.length > 0 ? ` (declared: ${names.join(', ')})` : '';
}

function days(text: string): number {
  const match = /^(\d+)d?$/.exec(text.trim());
  if (!match) throw new UsageError(`--within ${text}: expected a number of days, e.g. 14`);
  return Number(match[1]);
}

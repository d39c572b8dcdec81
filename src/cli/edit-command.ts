/**
 * What grant, revoke, request and tidy share: read the config files (refusing a dirty working tree), validate them,
 * plan the edit, validate the edited repository with the full validator before a byte is written, print the unified
 * diff and the access change in people's terms, then write, commit on a new branch and push as asked.
 */

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { compile, offlineFacts } from '../compile/index.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { EditError } from '../edit/errors.js';
import type { FileChange } from '../edit/files.js';
import type { EditPlan } from '../edit/types.js';
import { InvalidConfigError } from '../errors.js';
import {
  branchExists,
  commitFiles,
  gitIdentity,
  headCommit,
  isRemoteUrl,
  openLocal,
  probePush,
  pushBranch,
  redact,
  remoteUrl,
  transportOf,
  type Author,
} from '../git/index.js';
import type { RepoFile } from '../load/types.js';
import type { Model } from '../model/types.js';
import { reviewChange, type Side } from '../review/index.js';
import { renderDiffMarkdown } from '../review/render/markdown.js';
import type { DiffReport } from '../review/render/report.js';
import { renderDiffText } from '../review/render/text.js';
import { readSource } from '../source/index.js';
import { validateRepo } from '../validate/index.js';
import type { Io, RunState } from './io.js';
import { compareCodeUnits } from '../compare.js';
import { formatTime } from '../time.js';

export interface EditFlags {
  repo: string;
  worktree?: boolean;
  dryRun?: boolean;
  commit?: boolean;
  push?: boolean;
  branch?: string;
  message?: string;
  output: 'text' | 'markdown';
}

export function withEditOptions(cmd: Command): Command {
  return cmd
    .option('--repo <dir>', 'config repository folder (a local clone)', '.')
    .option('--worktree', 'edit the files on disk even when they differ from HEAD (uncommitted changes)')
    .option('--dry-run', 'print the diff and the access change; write nothing')
    .option('--commit', 'commit the change on a new branch (and switch to it)')
    .option('--branch <name>', 'branch for --commit (default: roster/<command>-<subject>-<time>)')
    .option('-m, --message <text>', 'commit message subject (default: describes the change)')
    .option(
      '--push',
      'push the branch to origin over http(s), ROSTER_GIT_TOKEN as for remote sources; implies --commit ' +
        '(ssh remotes: use --commit, then git push)',
    )
    .addOption(
      new Option('-o, --output <format>', 'text, or markdown: a pull-request body')
        .choices(['text', 'markdown'])
        .default('text'),
    );
}

/** What the command tells the runner about its change, for the commit message and the pull-request body. */
export interface EditMeta {
  /** `grant`, `revoke`, `request`, `tidy`: the branch prefix. */
  verb: string;
  /** The commit subject and PR title, e.g. `Grant editor in payments to alice@example.com until …`. */
  title: string;
  /** Branch slug: `alice-editor`. */
  slug: string;
  trailers: Record<string, string | undefined>;
}

export interface EditContext {
  files: RepoFile[];
  model: Model;
  at: Date;
  /** The Git author, when the folder is in a repository with one configured. */
  author?: Partial<Author>;
  /** The commit the files are (HEAD, when the config folder is clean). */
  commit?: string;
}

interface Opened {
  context: EditContext;
  /** Working tree root and where the config folder sits in it; undefined outside Git. */
  git?: { root: string; subdir: string };
}

/** source → validate (must be valid before the edit) → the command's context. */
export async function openForEdit(flags: EditFlags, state: RunState): Promise<Opened> {
  const { io } = state;
  if (isRemoteUrl(flags.repo))
    throw new EditError(
      'invalid-request',
      `--repo ${redact(flags.repo)}: edit a local clone (git clone it), not a URL`,
    );
  const at = state.clock();
  const local = await openLocal(flags.repo);
  if (local?.bare)
    throw new EditError('invalid-request', `--repo ${flags.repo}: a bare repository has no files to edit; use a clone`);
  const snapshot = await readSource({ repo: flags.repo, worktree: true });
  if (local && !snapshot.commit && !flags.worktree)
    throw new EditError(
      'dirty-worktree',
      `${flags.repo}: the config files differ from HEAD (uncommitted changes); commit or stash them first, ` +
        `or pass --worktree to edit the files as they are on disk`,
    );
  const { model, diagnostics } = validateRepo(snapshot.files, { now: at });
  if (!model) {
    printDiagnostics(io, diagnostics);
    throw new InvalidConfigError(`${snapshot.label} is invalid before any edit; fix it first (nothing was written)`);
  }
  const author = local ? await gitIdentity(local.root) : undefined;
  return {
    context: {
      files: snapshot.files,
      model,
      at,
      ...(author ? { author } : {}),
      ...(snapshot.commit ? { commit: snapshot.commit } : {}),
    },
    ...(local ? { git: { root: local.root, subdir: local.subdir } } : {}),
  };
}

/** Validate the result, show it, then write / commit / push as the flags say. */
export async function finishEdit(
  state: RunState,
  flags: EditFlags,
  opened: Opened,
  plan: EditPlan,
  meta: EditMeta,
  notes: string[] = [],
): Promise<void> {
  const { io } = state;
  const say = flags.output === 'markdown' ? io.err : io.out;
  for (const note of notes) io.err(`warning: ${note}\n`);
  if (plan.noop) {
    say(`${plan.noop}\n`);
    return;
  }
  const { context } = opened;
  const after = applyChanges(context.files, plan.changes);
  const { model, diagnostics } = validateRepo(after, { now: context.at });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!model || errors.length > 0) {
    printDiagnostics(io, errors);
    throw new InvalidConfigError(
      `the edit would make the config invalid (${errors.length} error(s), at their places in the files as the ` +
        'edit would leave them); nothing was written',
      {
        errors: errors.length,
      },
    );
  }
  const target = await commitTarget(flags, opened, meta);
  const report: DiffReport = {
    repo: flags.repo,
    base: { ref: context.commit ? 'HEAD' : 'working tree', commit: context.commit ?? 'uncommitted' },
    head: { ref: `roster ${meta.verb}`, commit: 'this edit' },
    diff: reviewChange(side(context.model, context.at), side(model, context.at)),
  };
  const patch = unifiedDiff(plan.changes);
  if (flags.output === 'markdown') io.out(pullRequestBody(meta, plan, report, patch));
  else io.out(`${plan.done.map((d) => `${d}\n`).join('')}\n${patch}\n${renderDiffText(report)}`);
  if (flags.dryRun) {
    say('dry run: nothing was written\n');
    return;
  }
  writeChanges(flags.repo, plan.changes);
  if (!target) {
    say(`wrote ${plan.changes.map((c) => c.path).join(', ')}\n`);
    return;
  }
  await commitAndPush(state, flags, target, plan, meta);
}

/** Where --commit / --push go; undefined when neither was asked for. */
interface CommitTarget {
  root: string;
  subdir: string;
  branch: string;
  author: Author;
  date: Date;
  push: boolean;
}

/**
 * Everything --commit and --push need, checked before a byte is written: a Git repository with a commit, an author,
 * a branch name that is free and, for --push, an origin Roster can push to (http(s): it has no ssh transport).
 */
async function commitTarget(flags: EditFlags, opened: Opened, meta: EditMeta): Promise<CommitTarget | undefined> {
  if (!flags.commit && !flags.push) return undefined;
  const flag = flags.push ? '--push' : '--commit';
  const refuse = (what: string) => new EditError('cannot-commit', `${flag}: ${what}; nothing was written`);
  if (!opened.git)
    throw refuse(`${flags.repo} is not inside a Git repository (without --commit and --push Roster only edits files)`);
  const { root, subdir } = opened.git;
  if (!(await headCommit(root)))
    throw refuse(`the repository ${root} has no commit yet; commit the config first (git add -A && git commit)`);
  const author = opened.context.author;
  if (!author?.name || !author.email)
    throw refuse(
      'who commits? set your Git identity: git config user.name "Your Name" and git config user.email ' +
        'you@example.com (or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL)',
    );
  const branch = flags.branch ?? `roster/${meta.verb}-${meta.slug}-${stamp(opened.context.at)}`;
  const badRef = branchNameProblem(branch);
  if (badRef) throw refuse(`--branch ${JSON.stringify(branch)}: ${badRef}; choose another with --branch NAME`);
  if (await branchExists(root, branch))
    throw refuse(`a branch named ${branch} already exists; choose another with --branch NAME`);
  if (flags.push) await requirePushable(root, branch, refuse);
  const push = Boolean(flags.push);
  return { root, subdir, branch, author: { name: author.name, email: author.email }, date: opened.context.at, push };
}

/** origin exists and is http(s); an ssh or local remote gets what to do instead, with the branch to push. */
async function requirePushable(root: string, branch: string, refuse: (what: string) => EditError): Promise<void> {
  const url = await remoteUrl(root, 'origin');
  if (!url)
    throw refuse(
      'the repository has no remote "origin" to push to; add one (git remote add origin https://…), or use ' +
        `--commit --branch ${branch} and push the branch with git yourself`,
    );
  if (isRemoteUrl(url)) {
    await probePush({ root }).catch((err: unknown) => {
      throw refuse(
        `${err instanceof Error ? err.message : String(err)}. Check the URL, the network and ROSTER_GIT_TOKEN, ` +
          `or use --commit --branch ${branch} now and push the branch with git later`,
      );
    });
    return;
  }
  throw refuse(
    `origin is ${redact(url)}, ${transportOf(url)}; Roster pushes over http(s) only (it has no ssh transport). ` +
      `Commit with Roster and push with git instead: run the same command with --commit --branch ${branch} ` +
      `(without --push), then git push -u origin ${branch}. Or make origin an https URL and set ROSTER_GIT_TOKEN`,
  );
}

/** Why Git would refuse this branch name (git check-ref-format's rules, simplified); undefined when it is fine. */
export function branchNameProblem(name: string): string | undefined {
  if (name === '' || name === '@') return 'not a branch name';
  if (/[\s~^:?*[\\\p{Cc}]/u.test(name)) return 'a branch name cannot contain spaces or any of ~ ^ : ? * [ \\';
  if (/\.\.|@\{|\/\/|^[-/.]|[/.]$|\.lock$|\/\.|\.lock\//.test(name))
    return (
      "a branch name cannot start with '-', '/' or '.', end with '/', '.' or '.lock', " +
      "or contain '..', '@{' or '//'"
    );
  return undefined;
}

async function commitAndPush(state: RunState, flags: EditFlags, target: CommitTarget, plan: EditPlan, meta: EditMeta) {
  const say = flags.output === 'markdown' ? state.io.err : state.io.out;
  const { root, subdir, branch } = target;
  const oid = await commitFiles({
    root,
    branch,
    files: plan.changes.map((c) => ({ path: subdir ? `${subdir}/${c.path}` : c.path, text: c.after })),
    message: commitMessage(meta, plan, flags.message),
    author: target.author,
    // The run's clock (ROSTER_NOW when pinned), so the commit date and the grant's expiry agree in roster audit.
    date: target.date,
  });
  say(`committed ${oid.slice(0, 12)} on branch ${branch}\n`);
  if (!target.push) return;
  const url = await pushBranch({ root, branch });
  say(`pushed ${branch} to ${url}\n`);
}

export function commitMessage(meta: EditMeta, plan: EditPlan, subject?: string): string {
  const trailers = Object.entries(meta.trailers)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${v!.replace(/\s*\n\s*/g, ' ')}`);
  const body = plan.done.map((d) => `- ${d}`).join('\n');
  return `${subject ?? meta.title}\n\n${body}\n${trailers.length > 0 ? `\n${trailers.join('\n')}\n` : ''}`;
}

function pullRequestBody(meta: EditMeta, plan: EditPlan, report: DiffReport, patch: string): string {
  const facts = Object.entries(meta.trailers)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `- **${k.replace(/^Roster-/, '')}:** ${v}`);
  const review = renderDiffMarkdown(report).replace(/^### .*\n/, '');
  return [
    `## ${meta.title}`,
    '',
    ...facts,
    ...(facts.length > 0 ? [''] : []),
    ...plan.done.map((d) => `- ${d}`),
    '',
    '### Access change',
    review.trimEnd(),
    '',
    `<details><summary>Files (${plan.changes.length})</summary>`,
    '',
    '```diff',
    patch.trimEnd(),
    '```',
    '',
    '</details>',
    '',
  ].join('\n');
}

export function unifiedDiff(changes: readonly FileChange[]): string {
  return changes
    .map((c) =>
      createTwoFilesPatch(
        c.before === undefined ? '/dev/null' : `a/${c.path}`,
        c.after === undefined ? '/dev/null' : `b/${c.path}`,
        c.before ?? '',
        c.after ?? '',
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, ''),
    )
    .join('');
}

function side(model: Model, at: Date): Side {
  return {
    model,
    result: compile(model, offlineFacts(model.clusters), at),
  };
}

export function applyChanges(files: readonly RepoFile[], changes: readonly FileChange[]): RepoFile[] {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  for (const c of changes) {
    if (c.after === undefined) byPath.delete(c.path);
    else byPath.set(c.path, c.after);
  }
  return [...byPath].map(([path, text]) => ({ path, text })).sort((a, b) => compareCodeUnits(a.path, b.path));
}

/** Each file through a temporary name and a rename, so a reader never sees half a file. */
function writeChanges(dir: string, changes: readonly FileChange[]): void {
  for (const c of changes) {
    const abs = join(dir, c.path);
    if (c.after === undefined) {
      rmSync(abs, { force: true });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    const tmp = `${abs}.roster-${process.pid}.tmp`;
    writeFileSync(tmp, c.after);
    renameSync(tmp, abs);
  }
}

function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) io.err(`${formatDiagnostic(d)}\n`);
}

/** `20261202-041530`: keeps branch names unique per second and sortable. */
function stamp(at: Date): string {
  return formatTime(at).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** Lower-case words joined by '-', for branch names. */
export function slug(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

export type { RunState };

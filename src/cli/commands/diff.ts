/**
 * `roster diff BASE..HEAD`: the access change between two commits, for pull requests. Both sides are read from
 * Git, validated and compiled offline (patterns stay patterns), then compared in people's terms.
 */

import type { Command } from 'commander';
import { compile, offlineFacts } from '../../compile/index.js';
import { formatDiagnostic } from '../../diagnostics.js';
import { ExitCode, InvalidConfigError, UsageError } from '../../errors.js';
import { hasAccessChanges, reviewChange, type Side } from '../../review/index.js';
import { renderDiffJson } from '../../review/render/json.js';
import { renderDiffMarkdown } from '../../review/render/markdown.js';
import { short, type DiffReport, type Version } from '../../review/render/report.js';
import { renderDiffText } from '../../review/render/text.js';
import { readCommitFiles, requireGit, type GitCheckout } from '../../source/index.js';
import { validateRepo } from '../../validate/index.js';
import { withOutputOption } from '../common.js';
import type { Io, RunState } from '../io.js';

interface DiffFlags {
  repo: string;
  output: 'text' | 'markdown' | 'json';
}

const RENDER = { text: renderDiffText, markdown: renderDiffMarkdown, json: renderDiffJson } as const;

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('diff')
    .description("show the access change between two commits in people's terms (offline); exit 1 when access changes")
    .argument('<range>', 'BASE..HEAD, BASE...HEAD (from their merge base, like a pull request) or BASE (= BASE..HEAD)')
    .option('--repo <dir|url>', 'config repository: a folder inside a Git repository, or a Git URL', '.')
    .addHelpText(
      'after',
      '\nExit codes: 0 no access change, 1 access changes, 2 either side invalid.\n' +
        'The JSON shape is documented in docs/git.md.',
    );
  withOutputOption(cmd, ['text', 'markdown', 'json']).action(async (range: string, flags: DiffFlags) => {
    const { base, head, checkout } = await resolveRange(range, flags.repo);
    const at = state.clock();
    const [before, after] = [await side(checkout, base, at, state.io), await side(checkout, head, at, state.io)];
    const report: DiffReport = { repo: flags.repo, base, head, diff: reviewChange(before, after) };
    state.io.out(RENDER[flags.output](report));
    state.exitCode = hasAccessChanges(report.diff) ? ExitCode.changes : ExitCode.ok;
  });
}

async function resolveRange(
  range: string,
  repo: string,
): Promise<{ base: Version; head: Version; checkout: GitCheckout }> {
  const match = /^(.*?)(\.\.\.?)(.*)$/.exec(range);
  const [baseRef, dots, headRef] = match ? [match[1] || 'HEAD', match[2], match[3] || 'HEAD'] : [range, '..', 'HEAD'];
  if (!baseRef || !headRef) throw new UsageError(`diff: "${range}" is not a range like main..HEAD`);
  const checkout = await requireGit(repo, { fullHistory: true });
  const head = await checkout.git.resolveCommit(headRef);
  let base = await checkout.git.resolveCommit(baseRef);
  if (dots === '...') {
    const mergeBase = await checkout.git.mergeBase(base, head);
    if (!mergeBase) throw new UsageError(`diff: ${baseRef} and ${headRef} have no common ancestor`);
    base = mergeBase;
  }
  return { base: { ref: baseRef, commit: base }, head: { ref: headRef, commit: head }, checkout };
}

/** One side: read, validate (problems to stderr, exit 2), compile offline for every declared cluster. */
async function side(checkout: GitCheckout, version: Version, at: Date, io: Io): Promise<Side> {
  const label = `${version.ref} (${short(version.commit)})`;
  const files = await readCommitFiles(checkout, version.commit, label);
  const { model: validated, diagnostics } = validateRepo(files, { now: at });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) io.err(`${label}: ${formatDiagnostic(d)}\n`);
  if (!validated || errors.length > 0)
    throw new InvalidConfigError(`${errors.length} error(s) in ${label}; cannot compare`, { commit: version.commit });
  const model = { ...validated, commit: version.commit };
  return {
    model,
    result: compile(model, offlineFacts(model.clusters), at),
  };
}

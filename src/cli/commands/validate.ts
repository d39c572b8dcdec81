import type { Command } from 'commander';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { ExitCode } from '../../errors.js';
import { inForce, suspendedSubjects } from '../../model/suspensions.js';
import type { Model } from '../../model/types.js';
import { formatTime } from '../../time.js';
import { readConfig } from '../../config/read.js';
import { withOutputOption, withRepoOptions, type RepoFlags } from '../common.js';
import type { Io, RunState } from '../io.js';

interface ValidateFlags extends RepoFlags {
  output: 'text' | 'json';
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('validate')
    .description('check the config repository: schemas, references, guardrails; exit 0 valid, 2 invalid')
    .addHelpText('after', '\nErrors go to stderr as file:line:col path: message (hint). Touches no cluster.');
  withOutputOption(withRepoOptions(cmd), ['text', 'json']).action(async (flags: ValidateFlags) => {
    const { model, snapshot, diagnostics } = await readConfig(flags, state.clock());
    const valid = model !== undefined && !diagnostics.some((d) => d.severity === 'error');
    if (flags.output === 'json') {
      state.io.out(`${JSON.stringify(validationJson(valid, diagnostics, model, snapshot.commit), null, 2)}\n`);
    } else {
      for (const warning of snapshot.warnings) state.io.err(`warning: ${warning}\n`);
      printText(state.io, snapshot.label, diagnostics, valid ? model : undefined, state.clock());
    }
    state.exitCode = valid ? ExitCode.ok : ExitCode.invalidConfig;
  });
}

function printText(io: Io, label: string, diagnostics: Diagnostic[], model: Model | undefined, at: Date): void {
  for (const d of diagnostics) io.err(`${formatDiagnostic(d)}\n`);
  const count = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).length;
  if (!model) {
    io.err(`${label}: invalid, ${count('error')} error(s), ${count('warning')} warning(s)\n`);
    return;
  }
  io.out(`${label}: valid: ${summary(model)}; ${count('warning')} warning(s)\n`);
  for (const line of suspensionLines(model, at)) io.out(`${line}\n`);
}

/** Suspensions in force, one line each: they change who has access everywhere, so validate says so. */
function suspensionLines(model: Model, at: Date): string[] {
  return (model.suspensions ?? [])
    .filter((s) => inForce(s, at))
    .map((s) => {
      const who = suspendedSubjects(s).map((x) => `${x.kind} ${x.name}`);
      const until = s.expires ? ` until ${formatTime(s.expires)}` : '';
      return `  suspended${until}: ${who.join(', ')} (Suspension ${s.name}: ${s.reason})`;
    });
}

function summary(model: Model): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return [
    n(model.clusters.length, 'cluster'),
    n(model.teams.length, 'team'),
    n(model.roles.length, 'custom role'),
    n(model.tokens.length, 'token'),
    ...((model.suspensions ?? []).length > 0 ? [n(model.suspensions!.length, 'suspension')] : []),
    ...(model.delegations?.length ? [n(model.delegations.length, 'delegation')] : []),
  ].join(', ');
}

/** The `-o json` shape (stable, documented in docs/output.md). */
function validationJson(valid: boolean, diagnostics: Diagnostic[], model: Model | undefined, commit?: string) {
  return {
    version: 1,
    valid,
    ...(commit ? { commit } : {}),
    errors: diagnostics.filter((d) => d.severity === 'error'),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
    ...(model
      ? {
          summary: {
            clusters: model.clusters.length,
            teams: model.teams.length,
            roles: model.roles.length,
            tokens: model.tokens.length,
            suspensions: (model.suspensions ?? []).length,
            delegations: model.delegations?.length ?? 0,
          },
        }
      : {}),
  };
}

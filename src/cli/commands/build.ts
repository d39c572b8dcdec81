import type { Command } from 'commander';
import { compile, offlineFacts } from '../../compile/index.js';
import { renderManifestsJson, renderYaml } from '../../compile/render.js';
import type { DesiredState } from '../../compile/types.js';
import { loadConfig, withOutputOption, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';
import { selectClusters, type ClusterFlags } from '../../config/select.js';
import { withClusterOptions } from '../select.js';

interface BuildFlags extends RepoFlags, ClusterFlags {
  output: 'yaml' | 'json';
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('build')
    .description('print the compiled RBAC manifests per cluster, as `kubectl apply -f` takes them (offline)')
    .addHelpText(
      'after',
      '\nNamespace patterns such as "payments-*" expand against live namespaces, so offline they are listed as\n' +
        'comments and not emitted; `roster plan` shows what they expand to on each cluster.',
    );
  withOutputOption(withClusterOptions(withRepoOptions(cmd)), ['yaml', 'json'], 'yaml').action(
    async (flags: BuildFlags) => {
      const at = state.clock();
      const { model } = await loadConfig(flags, state.io, at);
      const clusters = selectClusters(model, flags);
      const result = compile(model, offlineFacts(clusters), at);
      state.io.out(
        flags.output === 'json' ? buildJson(result.clusters, flags.cluster !== undefined) : buildYaml(result.clusters),
      );
    },
  );
}

function buildYaml(states: DesiredState[]): string {
  return states
    .map((s) => {
      const notes = s.skipped.map((k) => `#   ${k.holder.kind} ${k.holder.name}: ${k.role}: ${k.detail}\n`).join('');
      const header =
        `# cluster: ${s.cluster} (${s.objects.length} objects)\n` +
        `${notes ? `# not emitted offline:\n${notes}` : ''}`;
      return `${header}${renderYaml(s.objects)}`;
    })
    .join('---\n');
}

function buildJson(states: DesiredState[], single: boolean): string {
  if (single && states[0]) return renderManifestsJson(states[0].objects);
  const clusters = states.map((s) => ({
    cluster: s.cluster,
    manifests: JSON.parse(renderManifestsJson(s.objects)) as unknown,
  }));
  return `${JSON.stringify({ clusters }, null, 2)}\n`;
}

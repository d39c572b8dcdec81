/**
 * `roster report --html FILE`: the access matrix (teams and tokens × namespaces × clusters) as one self-contained
 * HTML page, built offline from Git and stamped with the commit it was built from.
 */

import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { compile, offlineFacts } from '../../compile/index.js';
import { renderHtml } from '../../report/html.js';
import { buildMatrix } from '../../report/matrix.js';
import { loadConfig, withRepoOptions, type RepoFlags } from '../common.js';
import type { RunState } from '../io.js';
import { selectClusters, type ClusterFlags } from '../../config/select.js';
import { withClusterOptions } from '../select.js';

interface ReportFlags extends RepoFlags, ClusterFlags {
  html: string;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('report')
    .description('write an access report: an HTML page with teams and tokens × namespaces × clusters, filterable')
    .requiredOption('--html <file>', 'where to write the page ("-" for stdout)')
    .addHelpText(
      'after',
      '\nOffline: built from Git alone. Namespace patterns appear as patterns; grants outside their time\n' +
        'window do not appear. The page has no external links, scripts or fonts: it can be attached anywhere.',
    );
  withClusterOptions(withRepoOptions(cmd)).action(async (flags: ReportFlags) => {
    const at = state.clock();
    const { model, snapshot } = await loadConfig(flags, state.io, at);
    const clusters = selectClusters(model, flags);
    const result = compile(model, offlineFacts(clusters), at);
    const source = { label: snapshot.label, ...(snapshot.commit ? { commit: snapshot.commit } : {}) };
    const html = renderHtml(buildMatrix({ model, result, source, now: at }));
    if (flags.html === '-') state.io.out(html);
    else {
      await writeFile(flags.html, html);
      state.io.err(`access report written to ${flags.html}\n`);
    }
  });
}

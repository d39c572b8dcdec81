/** The cluster-choosing flags: --cluster NAME or -l key=value,... (what they select: src/config/select.ts). */
import type { Command } from 'commander';

export function withClusterOptions(cmd: Command): Command {
  return cmd
    .option('--cluster <name>', 'only this declared cluster')
    .option('-l, --selector <labels>', 'only clusters whose labels match, e.g. env=prod,region=eu');
}

/** `roster tidy`: remove grants and tokens whose expires has passed, as an edit (and a commit) of its own. */

import type { Command } from 'commander';
import { planTidy } from '../../edit/tidy.js';
import { finishEdit, openForEdit, withEditOptions, type EditFlags } from '../edit-command.js';
import type { RunState } from '../io.js';

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('tidy')
    .description('remove expired grants and tokens from the config files (commit it with --commit)');
  withEditOptions(cmd).action(async (flags: EditFlags) => {
    const opened = await openForEdit(flags, state);
    const { model, files, at } = opened.context;
    const plan = planTidy(files, model, at);
    const count = plan.done.length;
    await finishEdit(state, flags, opened, plan, {
      verb: 'tidy',
      title: `Tidy: remove ${count} expired ${count === 1 ? 'entry' : 'entries'}`,
      slug: 'expired',
      // Audit lists a tidy commit even when it changes no access (what it removed had already expired).
      trailers: { 'Roster-Tidy': `${count} expired ${count === 1 ? 'entry' : 'entries'} removed` },
    });
  });
}

/**
 * `roster request ROLE -n NS --for 2h --reason "INC-1234"`: just-in-time access for yourself. The subject is `--as`
 * or the Git author e-mail; the grant must expire; privileged roles need a reason.
 */

import type { Command } from 'commander';
import { parseSubject } from '../../edit/subject.js';
import { EditError } from '../../edit/errors.js';
import { gitIdentity, openLocal } from '../../git/index.js';
import type { RunState } from '../io.js';
import { runGrant, withGrantOptions, type GrantFlags } from './grant.js';

interface RequestFlags extends GrantFlags {
  as?: string;
}

export function register(program: Command, state: RunState): void {
  const cmd = program
    .command('request')
    .description('request temporary access for yourself (--as, or the Git author e-mail): a grant that must expire')
    .argument('<role>', 'a built-in or custom role')
    .option('--as <subject>', 'who asks: an e-mail or user:EMAIL (default: the Git author e-mail)');
  withGrantOptions(cmd).action(async (role: string, flags: RequestFlags) => {
    if (flags.for === undefined && flags.until === undefined)
      throw new EditError('policy', 'request: a request must expire; give --for DURATION (e.g. 2h) or --until DATE');
    const subject = parseSubject(await requester(flags));
    await runGrant(state, subject, role, flags, 'request');
  });
}

async function requester(flags: RequestFlags): Promise<string> {
  if (flags.as !== undefined) return flags.as.includes(':') ? flags.as : `user:${flags.as}`;
  const local = await openLocal(flags.repo);
  const email = local ? (await gitIdentity(local.root)).email : undefined;
  if (!email)
    throw new EditError(
      'invalid-request',
      'request: who is asking? give --as EMAIL, or set your Git e-mail (git config user.email you@example.com)',
    );
  return `user:${email}`;
}

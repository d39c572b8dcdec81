import assert from 'node:assert/strict';
import { Command } from 'commander';
import { commandsFor, registerCommands } from '../../../src/cli/commands/index.js';
import { runState } from '../../../src/cli/io.js';

const silent = { out: () => {}, err: () => {}, color: false };

describe('cli: commands are loaded only when a run needs them', () => {
  it('loads the named command alone, none for --version, and every one for help or a mistyped name', () => {
    assert.deepEqual(commandsFor(['validate', '--repo', '.']), ['validate']);
    assert.deepEqual(commandsFor(['--version']), []);
    const all = commandsFor([]);
    assert.ok(all.length > 10);
    for (const argv of [['--help'], ['help', 'apply'], ['aply'], ['-h', 'validate']])
      assert.deepEqual(commandsFor(argv), all);
  });

  it('registers every command under the name it is loaded by, so `roster <name>` finds it', async () => {
    for (const name of commandsFor([])) {
      const program = new Command('roster');
      await registerCommands(program, runState(silent), [name]);
      assert.deepEqual(
        program.commands.map((c) => c.name()),
        [name],
      );
    }
  });
});

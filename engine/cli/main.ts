import { UsageError, UserError } from '../errors';
import { cardiganVersion } from '../cache/package-info';
import { didYouMean } from '../suggest';
import type { CommandTable, Program } from './command';

/**
 * The CLI's entry, given the program that embeds it (nodes/cardigan.ts for cardigan itself). Command
 * modules are required lazily so that `cardigan --help` never loads tfjs.
 */
// One line per command. The summary is repeated here so that --help loads no command module (a test
// keeps the two equal).
export const ENGINE_COMMANDS: CommandTable = {
  validate: { summary: 'check an experiment without running it', load: () => require('./commands/validate').command },
  plan: { summary: 'show each node as cached / stale / blocked (--explain says why)', load: () => require('./commands/plan').command },
  run: { summary: 'run an experiment, reusing cached nodes', load: () => require('./commands/run').command },
  'run-node': {
    summary: 'compute one node from its job in the cache (the worker of the process pool and of Slurm jobs)',
    load: () => require('./commands/run-node').command,
  },
  graph: { summary: 'draw the experiment graph (--format mermaid|dot)', load: () => require('./commands/graph').command },
  check: { summary: "decide the experiment's claims from the cached results (runs nothing)", load: () => require('./commands/check').command },
  cache: { summary: 'inspect and clean the cache (ls | verify | gc)', load: () => require('./commands/cache').command },
};

/** The engine's commands, then the program's. */
export function commandTable(program: Program): CommandTable {
  return { ...ENGINE_COMMANDS, ...program.commands };
}

function helpText(commands: CommandTable): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    'cardigan — experiments as YAML graphs of typed nodes, cached by content hash',
    '',
    'Usage: cardigan <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    '  --help       show help (also after a command)',
    '  --verbose    print stack traces on errors',
    '  --version    print the version',
  ].join('\n');
}

export async function main(argv: string[], program: Program): Promise<number> {
  const commands = commandTable(program);
  const verbose = argv.includes('--verbose');
  const args = argv.filter((arg) => arg !== '--verbose');
  const [name, ...rest] = args;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(helpText(commands) + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version') {
      process.stdout.write(`${cardiganVersion()}\n`);
      return 0;
    }
    const entry = commands[name];
    if (entry === undefined) {
      throw new UsageError(`unknown command "${name}"${didYouMean(name, Object.keys(commands))}\nRun "cardigan --help" for the list.`);
    }
    const command = entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.usage + '\n');
      return 0;
    }
    return await command.run(rest, program);
  } catch (error) {
    if (error instanceof UsageError || error instanceof UserError) {
      process.stderr.write(`error: ${error.message}\n`);
      if (verbose && error.stack !== undefined) process.stderr.write(error.stack + '\n');
      return error instanceof UsageError ? 2 : 1;
    }
    const err = error as Error;
    process.stderr.write(`error: ${err.message ?? String(error)}\n`);
    process.stderr.write(verbose ? `${err.stack ?? ''}\n` : '(run again with --verbose for the stack trace)\n');
    return 1;
  }
}

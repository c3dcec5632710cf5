#!/usr/bin/env node
import type { Command } from './command';
import { UsageError, UserError } from '../errors';
import { cardiganVersion } from '../run/package-info';
import { didYouMean } from '../experiment/suggest';

/**
 * Entry point. Command modules are required lazily so that `cardigan --help` never loads tfjs.
 */
// One line per command; modules outside the engine (data tools, metrics, reports) add theirs here too.
// The summary is repeated here so that --help loads no command module (a test keeps the two equal).
export const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  validate: { summary: 'check an experiment without running it', load: () => require('./commands/validate').command },
  plan: { summary: 'show each node as cached / stale / blocked (--explain says why)', load: () => require('./commands/plan').command },
  run: { summary: 'run an experiment, reusing cached nodes', load: () => require('./commands/run').command },
  graph: { summary: 'draw the experiment graph (--format mermaid|dot)', load: () => require('./commands/graph').command },
  cache: { summary: 'inspect and clean the cache (ls | verify | gc)', load: () => require('./commands/cache').command },
  report: { summary: 'one self-contained HTML page of what the cache holds for an experiment', load: () => require('../../nodes/commands/report').command },
  metrics: { summary: 'Dice, HD and ASSD (mm) of a predicted mask file against a ground-truth one', load: () => require('../../nodes/commands/metrics').command },
  image: { summary: 'inspect and convert images (info | convert): .mhd, .nii(.gz), .npy, .png', load: () => require('../../nodes/commands/image').command },
  'synth-camus': { summary: 'write a synthetic CAMUS cohort in the layout of either release', load: () => require('../../nodes/commands/synth-camus').command },
};

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
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

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((arg) => arg !== '--verbose');
  const [name, ...rest] = args;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(helpText() + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version') {
      process.stdout.write(`${cardiganVersion()}\n`);
      return 0;
    }
    const entry = COMMANDS[name];
    if (entry === undefined) {
      throw new UsageError(`unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}\nRun "cardigan --help" for the list.`);
    }
    const command = entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(command.usage + '\n');
      return 0;
    }
    return await command.run(rest);
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

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

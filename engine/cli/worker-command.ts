import type { Program } from './command';

/**
 * The command line that starts another process of this program, for `cardigan run-node` workers:
 * the same Node.js with the same preloaded modules (so that a run from TypeScript sources under a
 * `-r` loader starts its workers the same way), or plain `node <entry>` for compiled JavaScript.
 * Undefined when this process is not the program's own (a test runner calling `main`) and its entry
 * cannot run by itself.
 */
export function workerCommand(program: Program, main: string | undefined = require.main?.filename): string[] | undefined {
  const entry = program.workerEntry;
  if (entry === undefined) return undefined;
  // A debugger port cannot be shared with the workers.
  const flags = process.execArgv.filter((flag) => !flag.startsWith('--inspect'));
  if (main === entry) return [process.execPath, ...flags, entry];
  if (entry.endsWith('.js')) return [process.execPath, entry];
  return undefined;
}

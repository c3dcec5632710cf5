#!/usr/bin/env node
import { main, type Program } from '../engine/cli';

/**
 * The cardigan program, and the one place where the engine meets the nodes: the engine's CLI given the
 * built-in node types, the domain commands and the HTML report. Everything is required on first use,
 * so that `cardigan --help` loads no node type and no report code.
 */
export const CARDIGAN: Program = {
  registerNodes: (registry) => (require('./types') as typeof import('./types')).registerBuiltinNodes(registry),
  claims: () => (require('./claims/table1-claims') as typeof import('./claims/table1-claims')).TABLE1_CLAIMS,
  buildReport: (source) => (require('./report/build-report') as typeof import('./report/build-report')).buildReport(source),
  // One line per command, with the summary repeated so that --help loads no command module.
  commands: {
    report: { summary: 'one self-contained HTML page of what the cache holds for an experiment', load: () => require('./commands/report').command },
    metrics: {
      summary: 'Dice, HD and ASSD (mm) of a predicted mask file against a ground-truth one; EDV, ESV, EF from one patient’s four masks',
      load: () => require('./commands/metrics').command,
    },
    image: { summary: 'inspect and convert images (info | convert): .mhd, .nii(.gz), .npy, .png', load: () => require('./commands/image').command },
    'synth-camus': { summary: 'write a synthetic CAMUS cohort in the layout of either release', load: () => require('./commands/synth-camus').command },
  },
  workerEntry: __filename,
};

/** `cardigan <argv>` with the built-in program: the exit code. */
export function cardigan(argv: string[]): Promise<number> {
  return main(argv, CARDIGAN);
}

/** Runs `cardigan` on this process's arguments and sets its exit code: the command's entry, here and in nodes/bin/cardigan.js. */
export function runCommandLine(): void {
  cardigan(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) runCommandLine();

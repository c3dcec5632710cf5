import { JsonLinesReporter } from './json-lines-reporter';
import type { Output, Reporter } from './reporter';
import { TerminalReporter } from './terminal-reporter';

/** `cardigan run`'s reporter: JSON lines with `--json`, else the terminal display. */
export function createReporter(options: { json: boolean; output?: Output }): Reporter {
  const output = options.output ?? process.stdout;
  if (options.json) return new JsonLinesReporter(output);
  return new TerminalReporter(output, output.isTTY === true);
}

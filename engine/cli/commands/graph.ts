import { type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, parseCommandArgs } from '../args';
import { defineCommand } from '../command';
import { GRAPH_FORMATS, renderGraph } from '../graph-render';
import type { GraphFormat } from '../graph-render';
import { loadForCommand } from './load';

const OPTIONS = {
  format: { type: 'string', choices: GRAPH_FORMATS, default: 'mermaid', description: 'output format' },
  ...EXPERIMENT_OPTIONS,
} as const;

const SPEC = {
  command: 'graph',
  summary: 'draw the experiment graph (--format mermaid|dot)',
  positionals: [EXPERIMENT_POSITIONAL],
  options: OPTIONS,
} satisfies CommandSpec<typeof OPTIONS>;

/** `cardigan graph <experiment.yaml> [--format mermaid|dot] [--set ...]`: the DAG on stdout. */
export const command = defineCommand(SPEC, async (args, program) => {
  const { positionals, values } = parseCommandArgs(SPEC, args);
  const { experiment } = await loadForCommand(positionals[0], values.set, program);
  process.stdout.write(renderGraph(experiment, values.format as GraphFormat));
  return 0;
});

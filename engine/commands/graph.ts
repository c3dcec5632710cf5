import { EXPERIMENT_OPTIONS, parseCommandArgs, usageText } from '../args';
import type { CommandSpec } from '../args';
import type { Command } from '../command';
import { loadExperiment } from '../experiment';
import { GRAPH_FORMATS, renderGraph } from '../graph-render';
import type { GraphFormat } from '../graph-render';
import { NodeRegistry } from '../registry';
import { registerBuiltinNodes } from '../../nodes/index';

const OPTIONS = {
  format: { type: 'string', choices: GRAPH_FORMATS, default: 'mermaid', description: 'output format' },
  ...EXPERIMENT_OPTIONS,
} as const;

const SPEC = {
  command: 'graph',
  summary: 'draw the experiment graph (--format mermaid|dot)',
  positionals: [{ name: 'experiment.yaml', description: 'the experiment file' }],
  options: OPTIONS,
} satisfies CommandSpec<typeof OPTIONS>;

/** `cardigan graph <experiment.yaml> [--format mermaid|dot] [--set ...]`: the DAG on stdout. */
export const command: Command = {
  name: SPEC.command,
  summary: SPEC.summary,
  usage: usageText(SPEC),
  async run(args) {
    const { positionals, values } = parseCommandArgs(SPEC, args);
    const registry = new NodeRegistry();
    registerBuiltinNodes(registry);
    const experiment = await loadExperiment(positionals[0], { registry, set: values.set });
    process.stdout.write(renderGraph(experiment, values.format as GraphFormat));
    return 0;
  },
};

import { EXPERIMENT_OPTIONS, parseCommandArgs, usageText } from '../args';
import type { CommandSpec } from '../args';
import type { Command } from '../command';
import { loadExperiment } from '../experiment';
import { buildGraph } from '../graph';
import { NodeRegistry } from '../registry';
import { registerBuiltinNodes } from '../../nodes/index';

const SPEC = {
  command: 'validate',
  summary: 'check an experiment without running it',
  positionals: [{ name: 'experiment.yaml', description: 'the experiment file' }],
  options: { ...EXPERIMENT_OPTIONS },
} satisfies CommandSpec<typeof EXPERIMENT_OPTIONS>;

/**
 * `cardigan validate <experiment.yaml> [--set ...]`: every check that needs no running (YAML, schema,
 * params, types, references, ports, cycles). Prints every problem and exits 1 when there are any,
 * else one line "N nodes, M edges, ok".
 */
export const command: Command = {
  name: SPEC.command,
  summary: SPEC.summary,
  usage: usageText(SPEC),
  async run(args) {
    const { positionals, values } = parseCommandArgs(SPEC, args);
    const registry = new NodeRegistry();
    registerBuiltinNodes(registry);
    const experiment = await loadExperiment(positionals[0], { registry, set: values.set });
    const edges = buildGraph(experiment.nodes).size;
    process.stdout.write(`${count(experiment.nodes.length, 'node')}, ${count(edges, 'edge')}, ok\n`);
    return 0;
  },
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

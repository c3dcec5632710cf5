import { type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, parseCommandArgs } from '../args';
import { defineCommand } from '../command';
import { buildGraph } from '../../experiment/graph';
import { loadForCommand } from './load';

const SPEC = {
  command: 'validate',
  summary: 'check an experiment without running it',
  positionals: [EXPERIMENT_POSITIONAL],
  options: { ...EXPERIMENT_OPTIONS },
} satisfies CommandSpec<typeof EXPERIMENT_OPTIONS>;

/**
 * `cardigan validate <experiment.yaml> [--set ...]`: every check that needs no running (YAML, schema,
 * params, types, references, ports, cycles). Prints every problem and exits 1 when there are any,
 * else one line "N nodes, M edges, ok".
 */
export const command = defineCommand(SPEC, async (args, program) => {
  const { positionals, values } = parseCommandArgs(SPEC, args);
  const { experiment } = await loadForCommand(positionals[0], values.set, program);
  const edges = buildGraph(experiment.nodes).size;
  process.stdout.write(`${count(experiment.nodes.length, 'node')}, ${count(edges, 'edge')}, ok\n`);
  return 0;
});

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

import { CACHE_OPTIONS, type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, parseCommandArgs } from '../args';
import { Cache } from '../../cache/cache';
import { readIndex } from '../../cache/last-keys';
import { defineCommand } from '../command';
import { planExperiment } from '../../run/planner';
import { planRows, renderPlan } from '../plan-view';
import { loadForCommand } from './load';

const OPTIONS = {
  explain: { type: 'boolean', description: 'say why each stale or blocked node is not cached (see below)' },
  json: { type: 'boolean', description: 'print the plan as one JSON object (nodes with state, key, changes)' },
  ...CACHE_OPTIONS,
  ...EXPERIMENT_OPTIONS,
} as const;

const SPEC = {
  command: 'plan',
  summary: 'show each node as cached / stale / blocked (--explain says why)',
  positionals: [EXPERIMENT_POSITIONAL],
  options: OPTIONS,
  details: `Shows what "cardigan run" would do, without running or changing anything:
  cached   the node's key is in the cache (verified): it will be reused
  stale    the node's key is known and not cached: it will run
  blocked  the node waits for a stale upstream node: its key depends on that node's new outputs

--explain says, for each stale or blocked node, which part of its key changed since the last cached
run of that node (params and which keys, an input and which port, external data and which path,
the node version, the seed), or that it never ran, or that its entry is gone or damaged.`,
} satisfies CommandSpec<typeof OPTIONS>;

export interface PlanCliOptions {
  experiment: string;
  set: string[];
  json: boolean;
  explain: boolean;
  cache: string;
}

export function parsePlanOptions(args: string[], env: NodeJS.ProcessEnv = process.env): PlanCliOptions {
  const { positionals, values } = parseCommandArgs(SPEC, args, env);
  return { experiment: positionals[0], set: values.set, json: values.json, explain: values.explain, cache: values.cache };
}

export const command = defineCommand(SPEC, async (args, program) => {
  const options = parsePlanOptions(args);
  const { experiment, registry } = await loadForCommand(options.experiment, options.set, program);
  const cache = new Cache(options.cache);
  const plan = await planExperiment(experiment, registry, cache);
  const index = options.explain || options.json ? await readIndex(cache.layout, experiment.file) : undefined;
  const rows = planRows(experiment, plan, index, registry);
  if (options.json) {
    process.stdout.write(JSON.stringify({ experiment: experiment.name, file: experiment.file, cache: cache.root, nodes: rows }, null, 2) + '\n');
  } else {
    process.stdout.write(renderPlan(experiment, rows, options.explain) + '\n');
  }
  return 0;
});

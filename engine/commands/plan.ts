import { Cache } from '../cache';
import { readIndex } from '../cache-index';
import { parsePlanOptions } from '../cli-options';
import type { Command } from '../command';
import { planExperiment } from '../planner';
import { planRows, renderPlan } from '../plan-view';
import { loadForCommand } from './load';

const usage = `Usage: cardigan plan <experiment.yaml> [--explain] [--set id.params.key=value ...] [--json] [--cache DIR]

Shows what "cardigan run" would do, without running or changing anything:
  cached   the node's key is in the cache (verified): it will be reused
  stale    the node's key is known and not cached: it will run
  blocked  the node waits for a stale upstream node: its key depends on that node's new outputs

--explain   says, for each stale or blocked node, which part of its key changed since the last
            cached run of that node (params and which keys, an input and which port, the node
            version, the seed), or that it never ran, or that its entry is gone or damaged.
--json      prints the plan as one JSON object (nodes with state, key, changes).`;

export const command: Command = {
  name: 'plan',
  summary: 'show each node as cached / stale / blocked (--explain says why)',
  usage,
  async run(args) {
    const options = parsePlanOptions(args);
    const { experiment, registry } = await loadForCommand(options.experiment, options.set);
    const cache = new Cache(options.cache);
    const plan = await planExperiment(experiment, registry, cache);
    const index = options.explain || options.json ? await readIndex(cache.layout, experiment.file) : undefined;
    const rows = planRows(experiment, plan, index);
    if (options.json) {
      process.stdout.write(JSON.stringify({ experiment: experiment.name, file: experiment.file, cache: cache.root, nodes: rows }, null, 2) + '\n');
    } else {
      process.stdout.write(renderPlan(experiment, rows, options.explain) + '\n');
    }
    return 0;
  },
};

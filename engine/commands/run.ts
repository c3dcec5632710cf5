import { Cache } from '../cache';
import { parseRunOptions } from '../cli-options';
import type { Command } from '../command';
import { createReporter } from '../progress';
import { runExperiment } from '../scheduler';
import { loadForCommand } from './load';

const usage = `Usage: cardigan run <experiment.yaml> [options]

Runs the experiment: nodes whose key is cached are reused, the others are computed in dependency
order, independent ones in parallel. Ends with a summary; exit code 1 if any node failed, 130 on Ctrl-C.

Options:
  --set id.params.key=value   override a param (repeatable; part of the key, validated like the file)
  --jobs N, -j N              parallel cpu nodes (default: number of cores); gpu nodes get one slot
  --only ID                   run just this node (or matrix group); its inputs must be cached
  --from ID                   run this node and everything downstream of it
  --until ID                  run this node and everything it depends on
  --force ID                  recompute this node even if it is cached (repeatable)
  --backend B                 auto | gpu | node | wasm | cpu (default auto, or $CARDIGAN_BACKEND)
  --cache DIR                 cache folder (default ./cache, or $CARDIGAN_CACHE)
  --json                      one JSON event per line instead of the progress display

Ctrl-C stops running nodes (their checkpoints are kept for the next run), writes the run record
marked interrupted, and exits 130; a second Ctrl-C quits at once.`;

export const command: Command = {
  name: 'run',
  summary: 'run an experiment, reusing cached nodes',
  usage,
  async run(args) {
    const options = parseRunOptions(args);
    const { experiment, registry } = await loadForCommand(options.experiment, options.set);
    const reporter = createReporter({ json: options.json });
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      interrupts++;
      if (interrupts > 1) {
        // The temp entry left behind is removed by the next run; nothing half-written is ever published.
        process.exit(130);
      }
      reporter.report({ type: 'interrupt', signal });
      controller.abort(new Error(`${signal} received`));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const result = await runExperiment(experiment, {
        cache: new Cache(options.cache),
        registry,
        jobs: options.jobs,
        backend: options.backend,
        selection: options.selection,
        signal: controller.signal,
        report: (event) => reporter.report(event),
        command: ['run', ...args],
      });
      return result.exitCode;
    } finally {
      reporter.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

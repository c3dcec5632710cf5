import { CACHE_OPTIONS, type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, PATH, integerType, parseCommandArgs } from '../args';
import { BACKEND_CHOICES, type BackendChoice } from '../../compute/backend';
import { Cache } from '../../cache/cache';
import { defineCommand } from '../command';
import { UserError } from '../../errors';
import { createReporter } from '../reporters';
import { writeReport } from '../../run/report-output';
import { runExperiment } from '../../run/scheduler';
import type { SelectionSpec } from '../../run/selection';
import { watchNpmParent } from '../../run/parent-watch';
import { loadForCommand } from './load';
import { EXECUTOR_CHOICES, type ExecutorChoice, chooseExecutor } from '../executor-choice';

const OPTIONS = {
  jobs: {
    type: 'string',
    short: 'j',
    value: 'N',
    as: integerType(1),
    description: 'nodes computing at once (default: number of cores); gpu nodes: one per GPU on a GPU backend',
  },
  executor: {
    type: 'string',
    choices: EXECUTOR_CHOICES,
    default: 'auto',
    env: 'CARDIGAN_EXECUTOR',
    description:
      'where nodes compute: processes (`cardigan run-node` children, --jobs at once), inprocess (this process), slurm (one job each), auto (processes when --jobs > 1)',
  },
  profile: {
    type: 'string',
    value: 'FILE',
    env: 'CARDIGAN_SLURM_PROFILE',
    as: PATH,
    description: "--executor slurm: the cluster's settings (README, Running on a Slurm cluster)",
  },
  only: { type: 'string', multiple: true, value: 'ID', description: 'run just this node (or matrix group; repeatable); its inputs must be cached' },
  from: { type: 'string', multiple: true, value: 'ID', description: 'run this node and everything downstream of it (repeatable)' },
  until: { type: 'string', multiple: true, value: 'ID', description: 'run this node and everything it depends on (repeatable)' },
  force: { type: 'string', multiple: true, value: 'ID', description: 'recompute this node even if it is cached (repeatable)' },
  backend: { type: 'string', choices: BACKEND_CHOICES, default: 'auto', env: 'CARDIGAN_BACKEND', description: 'tfjs backend' },
  json: { type: 'boolean', description: 'one JSON event per line instead of the progress display' },
  ...CACHE_OPTIONS,
  ...EXPERIMENT_OPTIONS,
} as const;

const SPEC = {
  command: 'run',
  summary: 'run an experiment, reusing cached nodes',
  positionals: [EXPERIMENT_POSITIONAL],
  options: OPTIONS,
  details: `Nodes whose key is cached are reused, the others are computed in dependency order, independent
ones in parallel. Ends with a summary; exit code 0 when every node is cached or done, 1 if any node
failed (its descendants are blocked, everything else still runs), 130 on Ctrl-C.

Ctrl-C stops running nodes (their checkpoints are kept for the next run), writes the run record
marked interrupted, and exits 130; a second Ctrl-C quits at once. SIGTERM does the same; under npx or
npm run, so does the end of the npm process that started cardigan (which does not pass SIGTERM on).`,
} satisfies CommandSpec<typeof OPTIONS>;

export interface RunCliOptions {
  experiment: string;
  set: string[];
  json: boolean;
  cache: string;
  jobs: number | undefined;
  executor: ExecutorChoice;
  profile: string | undefined;
  backend: BackendChoice;
  selection: SelectionSpec;
}

export function parseRunOptions(args: string[], env: NodeJS.ProcessEnv = process.env): RunCliOptions {
  const { positionals, values } = parseCommandArgs(SPEC, args, env);
  return {
    experiment: positionals[0],
    set: values.set,
    json: values.json,
    cache: values.cache,
    jobs: values.jobs,
    executor: values.executor,
    profile: values.profile,
    backend: values.backend,
    selection: { only: values.only, from: values.from, until: values.until, force: values.force },
  };
}

export const command = defineCommand(SPEC, async (args, program) => {
  const options = parseRunOptions(args);
  const { experiment, registry } = await loadForCommand(options.experiment, options.set, program);
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
  const stopWatching = watchNpmParent(() => onSignal('SIGTERM'));
  try {
    const cache = new Cache(options.cache);
    const { executor, jobs } = await chooseExecutor(options.executor, { cache, registry, program, jobs: options.jobs, profile: options.profile });
    const result = await runExperiment(experiment, {
      cache,
      registry,
      jobs,
      executor,
      backend: options.backend,
      selection: options.selection,
      signal: controller.signal,
      report: (event) => reporter.report(event),
      command: ['run', ...args],
    });
    // Written whatever the outcome (failures are what a report must show), unless the user stopped the run.
    if (experiment.report === undefined || result.outcome === 'interrupted') return result.exitCode;
    try {
      const written = await writeReport(experiment, registry, options.cache, experiment.report, program.buildReport);
      reporter.report({ type: 'report', ...written });
    } catch (error) {
      throw new UserError(`the run finished (${result.outcome}) but its report ${experiment.report} could not be written: ${(error as Error).message}`);
    }
    return result.exitCode;
  } finally {
    reporter.close();
    stopWatching();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
});

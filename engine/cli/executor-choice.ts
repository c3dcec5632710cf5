import type { Cache } from '../cache/cache';
import { UsageError, UserError } from '../errors';
import type { Executor, ExecutorName } from '../run/executor';
import { InProcessExecutor } from '../run/executors/in-process';
import { ProcessPoolExecutor } from '../run/executors/process-pool';
import { defaultProfile, loadProfile } from '../run/executors/slurm/profile';
import { SlurmExecutor } from '../run/executors/slurm/slurm-executor';
import type { NodeRegistry } from '../registry';
import { defaultJobs } from '../run/slots';
import type { Program } from './command';
import { workerCommand } from './worker-command';

export type ExecutorChoice = 'auto' | ExecutorName;

export const EXECUTOR_CHOICES: readonly ExecutorChoice[] = ['auto', 'inprocess', 'processes', 'slurm'];

export interface ExecutorParts {
  cache: Cache;
  registry: NodeRegistry;
  program: Program;
  /** `--jobs`, when given. */
  jobs: number | undefined;
  /** `--profile`, when given. */
  profile: string | undefined;
}

/**
 * `--executor` and how many nodes may run at once. `auto` is a pool of `cardigan run-node` processes
 * when more than one node may run at once and this program can start its own workers, else the
 * coordinating process itself. `slurm` reads its settings from `--profile` (else the cluster's
 * defaults) and queues up to the profile's `maxJobs` (or `--jobs`) jobs at once.
 */
export async function chooseExecutor(choice: ExecutorChoice, parts: ExecutorParts): Promise<{ executor: Executor; jobs: number }> {
  if (parts.profile !== undefined && choice !== 'slurm') throw new UsageError(`run: --profile is for --executor slurm (the executor is ${choice})`);
  const command = workerCommand(parts.program);
  const jobs = parts.jobs ?? defaultJobs();
  switch (choice) {
    case 'auto':
      if (command !== undefined && jobs > 1) return { executor: new ProcessPoolExecutor({ cache: parts.cache, command }), jobs };
      return { executor: new InProcessExecutor(parts.cache, parts.registry), jobs };
    case 'inprocess':
      return { executor: new InProcessExecutor(parts.cache, parts.registry), jobs };
    case 'processes':
      if (command === undefined)
        throw new UserError(
          '--executor processes: this program cannot start `cardigan run-node` workers (run cardigan itself, e.g. npx cardigan run …), or use --executor inprocess',
        );
      return { executor: new ProcessPoolExecutor({ cache: parts.cache, command }), jobs };
    case 'slurm': {
      const profile = parts.profile === undefined ? defaultProfile() : await loadProfile(parts.profile);
      return { executor: new SlurmExecutor({ cache: parts.cache, profile, command }), jobs: parts.jobs ?? profile.maxJobs };
    }
    default:
      return choice;
  }
}

import type { Cache } from '../cache/cache';
import { UserError } from '../errors';
import type { Executor, ExecutorName } from '../run/executor';
import { InProcessExecutor } from '../run/executors/in-process';
import { ProcessPoolExecutor } from '../run/executors/process-pool';
import type { NodeRegistry } from '../registry';
import type { Program } from './command';
import { workerCommand } from './worker-command';

export type ExecutorChoice = 'auto' | ExecutorName;

export const EXECUTOR_CHOICES: readonly ExecutorChoice[] = ['auto', 'inprocess', 'processes'];

/**
 * `--executor`: `auto` is a pool of `cardigan run-node` processes when more than one node may run at
 * once and this program can start its own workers, else the coordinating process itself.
 */
export function chooseExecutor(choice: ExecutorChoice, parts: { cache: Cache; registry: NodeRegistry; program: Program; jobs: number }): Executor {
  const command = workerCommand(parts.program);
  switch (choice) {
    case 'auto':
      if (command !== undefined && parts.jobs > 1) return new ProcessPoolExecutor({ cache: parts.cache, command });
      return new InProcessExecutor(parts.cache, parts.registry);
    case 'inprocess':
      return new InProcessExecutor(parts.cache, parts.registry);
    case 'processes':
      if (command === undefined) throw new UserError('--executor processes: this program cannot start `cardigan run-node` workers (run cardigan itself, e.g. npx cardigan run …), or use --executor inprocess');
      return new ProcessPoolExecutor({ cache: parts.cache, command });
    case 'slurm':
      throw new UserError('--executor slurm is not available yet');
    default:
      return choice;
  }
}

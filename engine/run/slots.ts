import * as os from 'os';
import pLimit from 'p-limit';
import type { ResourceClass } from '../node-api';

/**
 * Concurrency per resource class: `--jobs N` slots for cpu nodes (default: one per core) and one
 * slot for gpu nodes, since two trainings on one GPU fight over its memory. The classes do not share
 * slots: a gpu node occupies the GPU, not a `--jobs` slot.
 */
export class Slots {
  private readonly limits: Record<ResourceClass, pLimit.Limit>;

  constructor(readonly jobs: number = defaultJobs()) {
    if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a positive integer, got ${jobs}`);
    this.limits = { cpu: pLimit(jobs), gpu: pLimit(1) };
  }

  run<T>(resource: ResourceClass, task: () => Promise<T>): Promise<T> {
    return this.limits[resource](task);
  }
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

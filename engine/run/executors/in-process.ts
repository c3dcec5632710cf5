import type { BackendChoice, BackendInfo } from '../../compute/backend';
import type { Cache } from '../../cache/cache';
import { LazyBackend } from '../../compute/lazy-backend';
import type { NodeJob } from '../../keys/job';
import type { NodeRegistry } from '../../registry';
import { computeJob } from '../compute-job';
import type { ExecutionHooks, ExecutionResult, Executor, NodeSlots } from '../executor';
import { Slots } from '../slots';

/**
 * Runs nodes in the coordinating process, on one tfjs backend started once for the run. tfjs there
 * computes one op at a time, so gpu-class nodes (the trainings) take turns on one slot; cpu nodes
 * share `--jobs` slots.
 */
export class InProcessExecutor implements Executor {
  readonly name = 'inprocess';
  private backend: LazyBackend | undefined;

  constructor(
    private readonly cache: Cache,
    private readonly registry: NodeRegistry,
    private readonly initBackend?: (choice: BackendChoice) => Promise<BackendInfo>,
  ) {}

  slots(jobs: number): NodeSlots {
    return new Slots({ cpu: jobs, gpu: 1 });
  }

  execute(job: NodeJob, hooks: ExecutionHooks): Promise<ExecutionResult> {
    if (this.backend === undefined) this.backend = new LazyBackend(hooks.backendChoice, () => undefined, this.initBackend);
    const backend = this.backend;
    return computeJob(job, {
      cache: this.cache,
      registry: this.registry,
      backend: () => backend.get(),
      runId: hooks.runId,
      signal: hooks.signal,
      replace: hooks.replace,
      lockPollMs: hooks.lockPollMs,
      report: hooks,
      executor: { name: this.name },
    });
  }
}

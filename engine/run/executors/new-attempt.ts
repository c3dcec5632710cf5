import type { CacheLayout } from '../../cache/layout';
import { cardiganVersion } from '../../cache/package-info';
import type { NodeJob } from '../../keys/job';
import type { ExecutionHooks, ExecutionResult } from '../executor';
import { AttemptFolder } from '../job-folder';

/**
 * A fresh attempt folder holding everything a worker needs to compute `job` (what `run-node` reads), or
 * the failure to report when it cannot be written. Shared by every executor that runs nodes elsewhere.
 */
export async function newAttempt(layout: CacheLayout, job: NodeJob, hooks: ExecutionHooks): Promise<AttemptFolder | ExecutionResult> {
  try {
    const attempt = await AttemptFolder.create(layout, job.key);
    await attempt.writeJob({
      format: 1,
      job,
      plugins: [...hooks.plugins],
      runId: hooks.runId,
      backend: hooks.backendChoice,
      replace: hooks.replace,
      lockPollMs: hooks.lockPollMs,
      cardigan: cardiganVersion(),
      writtenAt: new Date().toISOString(),
    });
    return attempt;
  } catch (error) {
    return { ok: false, failure: { reason: 'worker-error', message: `cannot write the job folder: ${(error as Error).message}` } };
  }
}

import { promises as fs } from 'fs';
import * as path from 'path';
import type { Cache } from '../../cache/cache';
import { unreachable } from '../../errors';
import type { ExecutionResult } from '../executor';
import type { AttemptFolder } from '../job-folder';

/** How a worker ended when it left no result.json: what its executor saw. */
export type WorkerEnd =
  | { kind: 'exited'; code: number }
  | { kind: 'killed'; signal: string; oom: boolean }
  | { kind: 'slurm'; state: string; detail: string }
  | { kind: 'lost'; message: string };

/**
 * A finished attempt's outcome, decided by what is on the cache's filesystem and never by the
 * process's or cluster's word alone: a success needs the worker's result.json *and* the committed
 * entry verifying. Without a result, `end` says what happened (exit code, signal, Slurm state), with
 * the last lines of the worker's log. A successful attempt's folder is removed; a failed one is kept
 * for reading.
 */
export async function collectResult(
  cache: Cache,
  attempt: AttemptFolder,
  signal: AbortSignal,
  end: () => WorkerEnd,
  logFile?: string,
): Promise<ExecutionResult> {
  const result = await attempt.readResult();
  if (result !== undefined) {
    if (!result.ok) return { ok: false, failure: result.failure };
    const found = await cache.lookup(attempt.key);
    if (found.state !== 'hit') {
      const why = found.state === 'absent' ? 'is absent' : `does not verify: ${found.problems.join('; ')}`;
      return {
        ok: false,
        failure: { reason: 'worker-error', message: `the worker reported success but the entry ${attempt.key} ${why} (see ${attempt.dir})` },
      };
    }
    await removeAttempt(attempt);
    return result.status === 'done'
      ? { ok: true, status: 'done', record: found.record, resumed: result.resumed }
      : { ok: true, status: 'cached', record: found.record };
  }
  if (signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
  const logTail = await attempt.logTail(12, logFile);
  const ended = end();
  switch (ended.kind) {
    case 'exited':
      return { ok: false, failure: { reason: 'worker-exited', code: ended.code, logTail } };
    case 'killed':
      return { ok: false, failure: { reason: 'worker-killed', signal: ended.signal, oom: ended.oom, logTail } };
    case 'slurm':
      return { ok: false, failure: { reason: 'slurm', state: ended.state, detail: ended.detail, logTail } };
    case 'lost':
      return { ok: false, failure: { reason: 'lost', message: ended.message, logTail } };
    default:
      return unreachable(ended);
  }
}

async function removeAttempt(attempt: AttemptFolder): Promise<void> {
  await attempt.remove();
  // The key's folder goes with its last attempt; another attempt started meanwhile keeps it.
  await fs.rmdir(path.dirname(attempt.dir)).catch(() => undefined);
}

/**
 * What a Slurm job state means for a node. Success is never read from here: a COMPLETED job is done
 * only once its result and its committed entry are on the shared filesystem.
 */
export type StateMeaning =
  /** Waiting or computing: PENDING, RUNNING, and the transitions between. */
  | 'active'
  /** Ended normally; the result decides. */
  | 'completed'
  /** Ended by the job itself or by Slurm: FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, DEADLINE. */
  | 'failed'
  /** The machine, not the node, failed: NODE_FAIL, PREEMPTED, BOOT_FAIL — worth submitting again. */
  | 'retry';

const MEANINGS: Record<string, StateMeaning> = {
  PENDING: 'active',
  CONFIGURING: 'active',
  RUNNING: 'active',
  COMPLETING: 'active',
  SUSPENDED: 'active',
  REQUEUED: 'active',
  REQUEUE_HOLD: 'active',
  REQUEUE_FED: 'active',
  RESIZING: 'active',
  SIGNALING: 'active',
  STAGE_OUT: 'active',
  STOPPED: 'active',
  RESV_DEL_HOLD: 'active',
  COMPLETED: 'completed',
  FAILED: 'failed',
  TIMEOUT: 'failed',
  OUT_OF_MEMORY: 'failed',
  CANCELLED: 'failed',
  DEADLINE: 'failed',
  SPECIAL_EXIT: 'failed',
  REVOKED: 'failed',
  NODE_FAIL: 'retry',
  PREEMPTED: 'retry',
  BOOT_FAIL: 'retry',
};

/** Unknown states (a newer Slurm) count as active: the job is waited for, never failed on a guess. */
export function meaningOf(state: string): StateMeaning {
  // `squeue` may print `CANCELLED by 1000`; scontrol prints the bare name.
  return MEANINGS[state.split(' ')[0]] ?? 'active';
}

import type { BackendChoice, BackendInfo } from '../compute/backend';
import type { EntryRecord } from '../cache/entry-record';
import type { NodeJob } from '../keys/job';
import type { ProgressUpdate, ResourceClass } from '../node-api';
import { unreachable } from '../errors';

/**
 * The seam between the scheduler and where a node computes (DESIGN.md §1). The scheduler decides
 * what runs and when; an executor takes one job — plain JSON, see engine/keys/job.ts — and gives back
 * the committed entry or a failure. Three exist, in engine/run/executors/: in this process, as
 * `cardigan run-node` child processes, and as Slurm jobs. Whatever runs the node, the worker side is
 * the same (engine/run/compute-job.ts: lock, run, commit), and reports the same things through
 * WorkerReport, so the display, `--json` events and the run record do not depend on the executor.
 */
export interface Executor {
  readonly name: ExecutorName;
  /** How many nodes of each resource class may run at once, given `--jobs`. */
  slots(jobs: number): NodeSlots;
  execute(job: NodeJob, hooks: ExecutionHooks): Promise<ExecutionResult>;
}

export type ExecutorName = 'inprocess' | 'processes' | 'slurm';

export const EXECUTOR_NAMES: readonly ExecutorName[] = ['inprocess', 'processes', 'slurm'];

/** Concurrency per resource class, served by priority (engine/run/slots.ts). */
export interface NodeSlots {
  /** Says that a node of this class and priority will ask for a slot soon; withdraw the ticket if it does not. */
  announce(resource: ResourceClass, priority: number): SlotTicket;
  /** Runs `task` in a slot of the ticket's class (the ticket is used up). */
  run<T>(ticket: SlotTicket, task: () => Promise<T>): Promise<T>;
}

export interface SlotTicket {
  /** Gives up the kept place (idempotent): the node was a cache hit, failed, or was blocked. */
  withdraw(): void;
}

/** Who holds a key's lock, as the worker saw it. */
export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
}

/** What a worker says while it computes one job; the scheduler turns each into a run event. */
export interface WorkerReport {
  /** Another process holds the key's lock; the worker waits for it. */
  waiting(holder: LockHolder | null): void;
  /** A lock left by a dead process (or one whose lease ran out) was broken. */
  lockBroken(holder: { pid: number; host: string }): void;
  /** The tfjs backend the worker started. */
  backend(info: BackendInfo): void;
  /** The node is computing; `checkpoint`: one from an earlier run is there to resume from. */
  started(checkpoint: boolean): void;
  progress(update: ProgressUpdate): void;
  log(message: string): void;
  /** Where the job stands outside any worker (a Slurm queue): `state` and the scheduler's reason. */
  queued(state: string, reason: string): void;
}

/** What the coordinator hands an executor besides the job itself. */
export interface ExecutionHooks extends WorkerReport {
  runId: string;
  /** The backend the user asked for (`--backend`). */
  backendChoice: BackendChoice;
  signal: AbortSignal;
  /** Swap out an existing entry for the key (`--force`). */
  replace: boolean;
  /** How often to look whether another process released a key's lock. */
  lockPollMs: number;
  /** Absolute paths of the experiment's plugins: a worker in another process registers them too. */
  plugins: readonly string[];
}

/**
 * Why a node failed. The first five happen wherever the node runs; the rest only when it runs in
 * another process or on a cluster.
 */
export type NodeFailure =
  | { reason: 'interrupted' }
  | { reason: 'threw'; message: string; stack: string | undefined }
  | { reason: 'bad-output'; message: string }
  | { reason: 'unknown-type'; message: string }
  | { reason: 'backend'; message: string }
  /** The worker refuses a job planned by another cardigan or node type version. */
  | { reason: 'version-mismatch'; message: string }
  /** The worker process ended without a result. */
  | { reason: 'worker-exited'; code: number; logTail: string[] }
  | { reason: 'worker-killed'; signal: string; oom: boolean; logTail: string[] }
  /** The executor could not start or follow the worker (job folder unwritable, spawn failed). */
  | { reason: 'worker-error'; message: string }
  /** Slurm refused the job at submission (bad partition, account, resources). */
  | { reason: 'submit-failed'; message: string }
  /** Slurm ended the job: FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, or a node failure after all retries. */
  | { reason: 'slurm'; state: string; detail: string; logTail: string[] }
  /** The job left the queue without a result on the shared filesystem. */
  | { reason: 'lost'; message: string; logTail: string[] };

export type ExecutionResult =
  | { ok: true; status: 'done'; record: EntryRecord; resumed: boolean }
  /** Another process committed the key while this one waited for its lock. */
  | { ok: true; status: 'cached'; record: EntryRecord }
  | { ok: false; failure: NodeFailure };

/** The one-paragraph error a failed node shows (the terminal, `--json`, the run record). */
export function describeFailure(failure: NodeFailure): string {
  switch (failure.reason) {
    case 'interrupted':
      return 'interrupted';
    case 'threw':
    case 'bad-output':
    case 'unknown-type':
    case 'version-mismatch':
    case 'worker-error':
    case 'submit-failed':
      return failure.message;
    case 'backend':
      return `backend: ${failure.message}`;
    case 'worker-exited':
      return `the worker exited with code ${failure.code} without a result${tail(failure.logTail)}`;
    case 'worker-killed':
      return `the worker was killed by ${failure.signal}${failure.oom ? ' (the out-of-memory killer)' : failure.signal === 'SIGKILL' ? ' (kill -9, or the out-of-memory killer)' : ''}${tail(failure.logTail)}`;
    case 'slurm':
      return `Slurm job ended ${failure.state}${failure.detail === '' ? '' : ` (${failure.detail})`}${tail(failure.logTail)}`;
    case 'lost':
      return `${failure.message}${tail(failure.logTail)}`;
    default:
      return unreachable(failure);
  }
}

function tail(lines: string[]): string {
  return lines.length === 0 ? '' : `; last lines of its log:\n${lines.map((line) => `  | ${line}`).join('\n')}`;
}

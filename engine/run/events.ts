import type { BackendInfo } from '../compute/backend';
import type { ExecutorName } from './executor';

/**
 * What a run reports, as data (STYLE.md 5). The terminal reporter renders these as lines and bars;
 * `cardigan run --json` prints each one as a JSON object on its own line, with a `time` field added.
 * Every event names its node by id; keys are full sha256 hex.
 */
export type RunEvent =
  /** First event: what is about to run and where. */
  | { type: 'run-start'; runId: string; experiment: string; file: string; nodes: number; selected: number; cache: string; jobs: number; executor: ExecutorName }
  /** Temp entries of processes that died (kill -9) were removed before starting. */
  | { type: 'orphans-removed'; folders: string[] }
  /** A cache entry failed its check (file missing or altered): it was moved aside and the node is a miss. */
  | { type: 'entry-invalid'; node: string; key: string; problems: string[]; movedTo: string | null }
  /** The node's entry was found in the cache and verified; nothing runs. */
  | { type: 'node-cached'; node: string; key: string }
  /** Another process holds the key's lock; this run waits, then reuses what it wrote. */
  | { type: 'node-waiting'; node: string; key: string; holder: { pid: number; host: string; runId: string } | null }
  /** A lock left by a dead process was broken. */
  | { type: 'lock-broken'; node: string; key: string; holder: { pid: number; host: string } }
  /** The tfjs backend was initialised (only when some node actually runs). */
  | { type: 'backend'; backend: BackendInfo }
  /** The node is computing. `checkpoint` says whether a checkpoint from an earlier, interrupted run is there to resume from. */
  | { type: 'node-start'; node: string; key: string; checkpoint: boolean }
  /** A cluster job of the node is waiting or running, as its scheduler says (Slurm: PENDING/RUNNING and the reason). */
  | { type: 'node-queued'; node: string; key: string; state: string; reason: string }
  | { type: 'node-progress'; node: string; done: number; total: number; unit?: string; message?: string }
  | { type: 'node-log'; node: string; message: string }
  /** Something the node's inputs show that does not stop it (validation patients behind its training data, engine/run/lineage-check.ts). */
  | { type: 'node-warning'; node: string; message: string }
  /** Computed and committed; `outputs` maps each port to its content hash. */
  | { type: 'node-done'; node: string; key: string; seconds: number; outputs: Record<string, string> }
  | { type: 'node-failed'; node: string; key: string | null; seconds: number; error: string }
  /** Not run because an upstream node failed; `by` names the failed nodes. */
  | { type: 'node-blocked'; node: string; by: string[] }
  /** Stopped or never started because of Ctrl-C; its checkpoints are kept. */
  | { type: 'node-interrupted'; node: string; key: string | null }
  /** Ctrl-C was received: running nodes are being stopped. */
  | { type: 'interrupt'; signal: string }
  /** Last event of the run itself. */
  | { type: 'run-end'; runId: string; outcome: 'ok' | 'failed' | 'interrupted'; exitCode: number; seconds: number; record: string; nodes: NodeSummary[] }
  /** After `run-end`, when the experiment sets `report:`: the page was written (absolute `file`). */
  | { type: 'report'; file: string; nodes: number; withResults: number; unchanged?: true };

export type NodeStatus = 'cached' | 'done' | 'failed' | 'blocked' | 'interrupted' | 'skipped';

export interface NodeSummary {
  node: string;
  status: NodeStatus;
  key: string | null;
  seconds: number | null;
  /** Failure message, or the failed upstream nodes for a blocked node. */
  detail: string | null;
}

import type { EntryRecord } from '../cache/entry-record';
import type { NodeStatus, NodeSummary } from './events';
import type { NodeKey } from '../keys/key';
import type { ResolvedNode } from '../experiment/resolved';
import type { RunNodeRecord } from './run-record';
import { unreachable } from '../errors';

/** How one node ended in a run. */
export type NodeOutcome =
  | { status: 'cached'; key: NodeKey; record: EntryRecord }
  | { status: 'done'; key: NodeKey; record: EntryRecord; startedAt: Date; seconds: number; resumed: boolean }
  | { status: 'failed'; key: NodeKey | undefined; error: string; startedAt: Date | undefined; seconds: number }
  | { status: 'blocked'; by: string[] }
  | { status: 'interrupted'; key: NodeKey | undefined }
  /** Outside the selection (`--only`, `--from`, `--until`) and not needed by it. */
  | { status: 'skipped' };

/** A damaged entry met (and moved aside) while resolving a node. */
export interface DamagedEntry {
  problems: string[];
  movedTo: string | null;
}

export function keyOfOutcome(outcome: NodeOutcome): NodeKey | undefined {
  switch (outcome.status) {
    case 'cached':
    case 'done':
    case 'failed':
    case 'interrupted':
      return outcome.key;
    case 'blocked':
    case 'skipped':
      return undefined;
    default:
      return unreachable(outcome);
  }
}

export function summarize(id: string, outcome: NodeOutcome): NodeSummary {
  const key = keyOfOutcome(outcome)?.hash ?? null;
  const status: NodeStatus = outcome.status;
  switch (outcome.status) {
    case 'done':
      return { node: id, status, key, seconds: outcome.seconds, detail: outcome.resumed ? 'resumed from checkpoint' : null };
    case 'failed':
      return { node: id, status, key, seconds: outcome.seconds, detail: outcome.error };
    case 'blocked':
      return { node: id, status, key, seconds: null, detail: `needs ${outcome.by.join(', ')}` };
    case 'cached':
    case 'interrupted':
    case 'skipped':
      return { node: id, status, key, seconds: null, detail: null };
    default:
      return unreachable(outcome);
  }
}

export function toRunNodeRecord(node: ResolvedNode, version: number, outcome: NodeOutcome, damaged: DamagedEntry | undefined): RunNodeRecord {
  const key = keyOfOutcome(outcome);
  const entry = outcome.status === 'cached' || outcome.status === 'done' ? outcome.record : undefined;
  const started = outcome.status === 'done' || outcome.status === 'failed' ? outcome.startedAt : undefined;
  const seconds = outcome.status === 'done' || outcome.status === 'failed' ? outcome.seconds : null;
  return {
    id: node.id,
    type: node.type,
    version,
    status: outcome.status,
    key: key?.hash ?? null,
    parts: key?.parts ?? null,
    cacheHit: outcome.status === 'cached',
    producedBy: entry === undefined ? null : { runId: entry.provenance.runId, backend: entry.provenance.backend, seconds: entry.provenance.seconds },
    startedAt: started?.toISOString() ?? null,
    finishedAt: started === undefined || seconds === null ? null : new Date(started.getTime() + seconds * 1000).toISOString(),
    seconds,
    resumedFromCheckpoint: outcome.status === 'done' && outcome.resumed,
    inputs:
      entry === undefined
        ? null
        : Object.fromEntries(Object.entries(entry.job.inputs).map(([port, refs]) => [port, refs.map((ref) => ({ from: ref.from, hash: ref.hash }))])),
    outputs: entry === undefined ? null : Object.fromEntries(Object.entries(entry.outputs).map(([port, output]) => [port, output.hash])),
    error: outcome.status === 'failed' ? outcome.error : null,
    blockedBy: outcome.status === 'blocked' ? outcome.by : null,
    damagedEntry: damaged ?? null,
  };
}

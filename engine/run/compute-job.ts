import * as os from 'os';
import type { BackendInfo } from '../compute/backend';
import type { Cache } from '../cache/cache';
import { DirCheckpointStore } from '../cache/checkpoints';
import type { EntryRecord, Provenance } from '../cache/entry-record';
import { KeyLocks } from '../cache/lock';
import { versions } from '../cache/versions';
import type { NodeJob } from '../keys/job';
import type { InputArtifact, NodeInputs, NodeType } from '../node-api';
import type { NodeRegistry } from '../registry';
import { makeNodeContext } from './context';
import type { ExecutionResult, WorkerReport } from './executor';

/** What computing one job needs besides the job, wherever it runs. */
export interface ComputeParts {
  cache: Cache;
  registry: NodeRegistry;
  /** Starts (once) and returns the backend; called only when the node really runs. */
  backend: () => Promise<BackendInfo>;
  runId: string;
  signal: AbortSignal;
  replace: boolean;
  lockPollMs: number;
  report: WorkerReport;
  /** Where the node ran, for the entry's provenance. */
  executor: Provenance['executor'];
}

/**
 * The worker's side of a job, the same in the coordinator (in-process executor) and in `cardigan
 * run-node` (child processes, Slurm jobs): take the key's lock, or wait for whoever holds it and
 * reuse what they commit; start the backend; run the node in a temp entry; commit it atomically.
 */
export async function computeJob(job: NodeJob, parts: ComputeParts): Promise<ExecutionResult> {
  const found = parts.registry.lookup(job.type);
  if ('error' in found) return { ok: false, failure: { reason: 'unknown-type', message: found.error } };
  if (found.version !== job.version) {
    return {
      ok: false,
      failure: {
        reason: 'version-mismatch',
        message: `node type "${job.type}" is version ${found.version} here, the job was planned for version ${job.version}`,
      },
    };
  }
  const locks = new KeyLocks(parts.cache.layout, parts.runId);
  let reportedWait = false;
  for (;;) {
    if (parts.signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
    const attempt = await locks.tryAcquire(job.key);
    if (attempt.acquired) {
      if (attempt.brokeStale !== undefined) parts.report.lockBroken({ pid: attempt.brokeStale.pid, host: attempt.brokeStale.host });
      try {
        if (!parts.replace) {
          // Another process may have committed the key between the coordinator's lookup and our lock.
          const hit = await parts.cache.lookup(job.key);
          if (hit.state === 'hit') return { ok: true, status: 'cached', record: hit.record };
        }
        return await runLocked(job, found, parts);
      } finally {
        await attempt.lock.release();
      }
    }
    if (!reportedWait) {
      parts.report.waiting(attempt.holder === undefined ? null : { pid: attempt.holder.pid, host: attempt.holder.host, runId: attempt.holder.runId });
      reportedWait = true;
    }
    try {
      await locks.waitForRelease(job.key, parts.signal, parts.lockPollMs);
    } catch {
      return { ok: false, failure: { reason: 'interrupted' } };
    }
    if (!parts.replace) {
      const hit = await parts.cache.lookup(job.key);
      if (hit.state === 'hit') return { ok: true, status: 'cached', record: hit.record };
    }
  }
}

async function runLocked(job: NodeJob, nodeType: NodeType<Record<string, unknown>>, parts: ComputeParts): Promise<ExecutionResult> {
  const { cache, signal } = parts;
  let backend: BackendInfo;
  try {
    backend = await parts.backend();
  } catch (error) {
    return { ok: false, failure: { reason: 'backend', message: (error as Error).message } };
  }
  parts.report.backend(backend);
  if (signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
  const checkpoints = new DirCheckpointStore(cache.layout.checkpointDir(job.key));
  parts.report.started((await checkpoints.latest()) !== undefined);
  const temp = await cache.beginEntry(job.key);
  const ctx = makeNodeContext({
    job,
    temp,
    outputs: nodeType.outputs,
    checkpoints,
    backend: backend.name,
    signal,
    progress: parts.report.progress,
    log: parts.report.log,
  });
  const started = new Date();
  try {
    try {
      await nodeType.run(ctx, inputsFor(cache, job, nodeType), job.params);
    } catch (error) {
      if (signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
      const err = error instanceof Error ? error : new Error(String(error));
      return { ok: false, failure: { reason: 'threw', message: err.message, stack: err.stack } };
    }
    // A node that returns after Ctrl-C may have cut its work short without saying so: never publish it.
    if (signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
    const finished = new Date();
    let record: EntryRecord;
    try {
      record = await cache.commit(
        temp,
        job,
        nodeType.outputs,
        {
          runId: parts.runId,
          backend: backend.name,
          host: os.hostname(),
          pid: process.pid,
          startedAt: started.toISOString(),
          finishedAt: finished.toISOString(),
          seconds: (finished.getTime() - started.getTime()) / 1000,
          resumedFromCheckpoint: ctx.resumedFromCheckpoint(),
          versions: versions(),
          ...(parts.executor === undefined ? {} : { executor: parts.executor }),
        },
        parts.replace,
      );
    } catch (error) {
      return { ok: false, failure: { reason: 'bad-output', message: (error as Error).message } };
    }
    await checkpoints.clear();
    return { ok: true, status: 'done', record, resumed: ctx.resumedFromCheckpoint() };
  } finally {
    await cache.discard(temp);
  }
}

/** Ports declared `multiple` get the list; the others their single artifact; unconnected ports are absent. */
function inputsFor(cache: Cache, job: NodeJob, nodeType: NodeType<Record<string, unknown>>): NodeInputs {
  const inputs: NodeInputs = {};
  for (const [port, refs] of Object.entries(job.inputs)) {
    if (refs.length === 0) continue;
    const artifacts: InputArtifact[] = refs.map((ref) => ({
      dir: cache.layout.outputDir(ref.key, ref.port),
      hash: ref.hash,
      type: ref.type,
      from: ref.from,
      nodeId: ref.nodeId,
    }));
    inputs[port] = nodeType.inputs[port]?.multiple === true ? artifacts : artifacts.length === 1 ? artifacts[0] : artifacts;
  }
  return inputs;
}

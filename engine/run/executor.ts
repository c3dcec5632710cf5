import * as os from 'os';
import type { Cache } from '../cache/cache';
import { DirCheckpointStore } from '../cache/checkpoints';
import { makeNodeContext } from './context';
import type { EntryRecord } from '../cache/entry-record';
import type { NodeJob } from '../keys/job';
import type { InputArtifact, NodeInputs, NodeType, ProgressUpdate } from '../node-api';
import type { NodeRegistry } from '../registry';
import { versions } from '../cache/versions';

/** What the coordinator hands an executor besides the job itself. */
export interface ExecutionHooks {
  runId: string;
  /** tfjs backend name already initialised for this run. */
  backend: string;
  signal: AbortSignal;
  /** Swap out an existing entry for the key (`--force`). */
  replace: boolean;
  progress(update: ProgressUpdate): void;
  log(message: string): void;
}

export type NodeFailure =
  | { reason: 'interrupted' }
  | { reason: 'threw'; message: string; stack: string | undefined }
  | { reason: 'bad-output'; message: string }
  | { reason: 'unknown-type'; message: string };

export type ExecutionResult = { ok: true; record: EntryRecord; resumed: boolean } | { ok: false; failure: NodeFailure };

/**
 * Runs one job and commits its entry (DESIGN.md §1). Only LocalExecutor exists; a Slurm executor
 * would write the job beside the shared cache, submit `cardigan run-node <key>`, and wait for the
 * entry to appear. Locking and scheduling stay with the coordinator.
 */
export interface Executor {
  execute(job: NodeJob, hooks: ExecutionHooks): Promise<ExecutionResult>;
}

/** Runs nodes in this process. */
export class LocalExecutor implements Executor {
  constructor(
    private readonly cache: Cache,
    private readonly registry: NodeRegistry,
  ) {}

  async execute(job: NodeJob, hooks: ExecutionHooks): Promise<ExecutionResult> {
    const found = this.registry.lookup(job.type);
    if ('error' in found) return { ok: false, failure: { reason: 'unknown-type', message: found.error } };
    if (found.version !== job.version) {
      return { ok: false, failure: { reason: 'unknown-type', message: `node type "${job.type}" is version ${found.version}, the job asks for version ${job.version}` } };
    }
    const nodeType = found;
    const temp = await this.cache.beginEntry(job.key);
    const checkpoints = new DirCheckpointStore(this.cache.layout.checkpointDir(job.key));
    const ctx = makeNodeContext({ job, temp, outputs: nodeType.outputs, checkpoints, backend: hooks.backend, signal: hooks.signal, progress: hooks.progress, log: hooks.log });
    const started = new Date();
    try {
      try {
        await nodeType.run(ctx, this.inputsFor(job, nodeType), job.params);
      } catch (error) {
        if (hooks.signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
        const err = error instanceof Error ? error : new Error(String(error));
        return { ok: false, failure: { reason: 'threw', message: err.message, stack: err.stack } };
      }
      // A node that returns after Ctrl-C may have cut its work short without saying so: never publish it.
      if (hooks.signal.aborted) return { ok: false, failure: { reason: 'interrupted' } };
      const finished = new Date();
      let record: EntryRecord;
      try {
        record = await this.cache.commit(
          temp,
          job,
          nodeType.outputs,
          {
            runId: hooks.runId,
            backend: hooks.backend,
            host: os.hostname(),
            pid: process.pid,
            startedAt: started.toISOString(),
            finishedAt: finished.toISOString(),
            seconds: (finished.getTime() - started.getTime()) / 1000,
            resumedFromCheckpoint: ctx.resumedFromCheckpoint(),
            versions: versions(),
          },
          hooks.replace,
        );
      } catch (error) {
        return { ok: false, failure: { reason: 'bad-output', message: (error as Error).message } };
      }
      await checkpoints.clear();
      return { ok: true, record, resumed: ctx.resumedFromCheckpoint() };
    } finally {
      await this.cache.discard(temp);
    }
  }

  /** Ports declared `multiple` get the list; the others their single artifact; unconnected ports are absent. */
  private inputsFor(job: NodeJob, nodeType: NodeType<Record<string, unknown>>): NodeInputs {
    const inputs: NodeInputs = {};
    for (const [port, refs] of Object.entries(job.inputs)) {
      if (refs.length === 0) continue;
      const artifacts: InputArtifact[] = refs.map((ref) => ({
        dir: this.cache.layout.outputDir(ref.key, ref.port),
        hash: ref.hash,
        type: ref.type,
        from: ref.from,
        nodeId: ref.nodeId,
      }));
      inputs[port] = nodeType.inputs[port]?.multiple === true ? artifacts : artifacts.length === 1 ? artifacts[0] : artifacts;
    }
    return inputs;
  }
}

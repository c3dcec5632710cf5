import { mkdirSync } from 'fs';
import * as path from 'path';
import type { TempEntry } from '../cache/cache';
import { checkedPort } from '../cache/layout';
import type { DirCheckpointStore } from '../cache/checkpoints';
import { resolveExperimentPath } from '../keys/external-fingerprint';
import type { NodeJob } from '../keys/job';
import type { CheckpointStore, NodeContext, PortSpec, ProgressUpdate } from '../node-api';

export interface ContextParts {
  job: NodeJob;
  temp: TempEntry;
  outputs: Record<string, PortSpec>;
  checkpoints: DirCheckpointStore;
  backend: string;
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
  log(message: string): void;
}

/** The engine's NodeContext, plus whether the node picked up a checkpoint (recorded in provenance). */
export interface EngineContext extends NodeContext {
  resumedFromCheckpoint(): boolean;
}

/**
 * The context a node runs with: output folders inside its temp entry (so nothing is visible until the
 * entry commits), a scratch folder that goes with the temp entry, checkpoints that outlive it,
 * progress and log lines routed to the reporter, and the run's abort signal.
 */
export function makeNodeContext(parts: ContextParts): EngineContext {
  let resumed = false;
  const checkpoints: CheckpointStore = {
    async latest() {
      const dir = await parts.checkpoints.latest();
      if (dir !== undefined) resumed = true;
      return dir;
    },
    save: (write) => parts.checkpoints.save(write),
  };
  return {
    nodeId: parts.job.nodeId,
    seed: parts.job.seed,
    key: parts.job.key,
    backend: parts.backend,
    scratchDir: parts.temp.scratchDir,
    resolvePath: (written) => resolveExperimentPath(parts.job.experiment.file, written),
    checkpoints,
    signal: parts.signal,
    outputDir(port: string): string {
      if (parts.outputs[port] === undefined) {
        throw new Error(`ctx.outputDir("${port}"): the node type declares no output "${port}" (declared: ${Object.keys(parts.outputs).join(', ') || 'none'})`);
      }
      const dir = path.join(parts.temp.outputsDir, checkedPort(port));
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    progress: (update) => parts.progress(update),
    log: (message) => parts.log(message),
    resumedFromCheckpoint: () => resumed,
  };
}

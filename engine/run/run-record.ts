import { promises as fs } from 'fs';
import * as path from 'path';
import type { BackendChoice, BackendInfo } from '../compute/backend';
import { readdirOrEmpty } from '../cache/cache';
import type { CacheLayout } from '../cache/layout';
import type { NodeStatus } from './events';
import type { ExecutorName } from './executor';
import type { Fingerprint } from '../keys/fingerprint';
import { writeFileAtomic } from '../fs-atomic';
import type { ResolvedExperiment } from '../experiment/resolved';
import type { SelectionSpec } from './selection';
import type { Versions } from '../cache/versions';

/**
 * `cache/runs/<timestamp>-<name>/run.json`: what a reviewer needs to see exactly what produced each
 * number — every node's key and its parts, status, timings, whether it came from the cache, the
 * backend, and the versions of the node types, cardigan, tfjs and Node. The resolved experiment is
 * saved beside it as `experiment.json` when the run starts.
 */
export interface RunRecord {
  format: 1;
  id: string;
  experiment: { name: string; file: string; seed: number };
  /** The command line, as typed after `cardigan`. */
  command: string[];
  cache: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  outcome: 'ok' | 'failed' | 'interrupted';
  /** Ctrl-C (or SIGTERM) stopped the run. */
  interrupted: boolean;
  exitCode: number;
  /** `executor` is absent in records written before executors could be chosen (they ran in-process). */
  options: { jobs: number; executor?: ExecutorName; backend: BackendChoice; selection: SelectionSpec };
  /** The backend nodes ran on; null when every node came from the cache (no backend was started). */
  backend: BackendInfo | null;
  versions: Versions;
  counts: Record<NodeStatus, number>;
  nodes: RunNodeRecord[];
}

export interface RunNodeRecord {
  id: string;
  type: string;
  /** The node type's version (part of the key). */
  version: number;
  status: NodeStatus;
  key: string | null;
  parts: Fingerprint | null;
  /** The result came from the cache (including one written meanwhile by a concurrent run). */
  cacheHit: boolean;
  /** Computed by this run, or by the earlier run recorded in the entry's provenance. */
  producedBy: { runId: string; backend: string; seconds: number } | null;
  startedAt: string | null;
  finishedAt: string | null;
  seconds: number | null;
  resumedFromCheckpoint: boolean;
  inputs: Record<string, { from: string; hash: string }[]> | null;
  outputs: Record<string, string> | null;
  error: string | null;
  blockedBy: string[] | null;
  /** An entry for this key was found damaged, reported and moved aside during this run. */
  damagedEntry: { problems: string[]; movedTo: string | null } | null;
}

/** Creates the run's folder (unique even for runs started in the same millisecond) and saves the experiment. */
export async function createRunDir(layout: CacheLayout, experiment: ResolvedExperiment, startedAt: Date): Promise<{ id: string; dir: string }> {
  await fs.mkdir(layout.runsDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const name = experiment.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'experiment';
  for (let n = 1; ; n++) {
    const id = n === 1 ? `${stamp}-${name}` : `${stamp}-${name}-${n}`;
    const dir = path.join(layout.runsDir, id);
    try {
      await fs.mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    await writeFileAtomic(path.join(dir, 'experiment.json'), JSON.stringify(experiment, null, 2) + '\n');
    return { id, dir };
  }
}

export async function writeRunRecord(dir: string, record: RunRecord): Promise<string> {
  const file = path.join(dir, 'run.json');
  await writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}

/** Finished runs (those with a run.json), oldest first. */
export async function listRuns(layout: CacheLayout): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (const name of await readdirOrEmpty(layout.runsDir)) {
    try {
      runs.push(JSON.parse(await fs.readFile(path.join(layout.runsDir, name, 'run.json'), 'utf8')) as RunRecord);
    } catch {
      // A run killed before it could write its record, or a stray file.
    }
  }
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

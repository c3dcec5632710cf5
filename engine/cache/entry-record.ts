import type { ArtifactManifest } from '../keys/artifact-hash';
import { CACHE_FORMAT_VERSION } from '../keys/fingerprint';
import type { NodeJob } from '../keys/job';
import type { PortType } from '../node-api';
import type { Versions } from './versions';

/**
 * `record.json` of a cache entry: the job that produced it (so it can be recomputed or audited from
 * the record alone), each output's file hashes (so reads can be verified), and provenance.
 */
export interface EntryRecord {
  format: number;
  key: string;
  job: NodeJob;
  outputs: Record<string, OutputRecord>;
  provenance: Provenance;
}

export interface OutputRecord extends ArtifactManifest {
  type: PortType;
}

/** How the entry came to be. None of it is in the key: the same key computed elsewhere is the same result. */
export interface Provenance {
  runId: string;
  /** tfjs backend in use: `tensorflow`, `wasm` or `cpu`. */
  backend: string;
  host: string;
  pid: number;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  /** The node started from a checkpoint left by an interrupted or killed run. */
  resumedFromCheckpoint: boolean;
  versions: Versions;
  /** What ran the node: `inprocess`, `processes` (a `cardigan run-node` child) or `slurm` (with its job id). Absent in older entries. */
  executor?: { name: string; jobId?: string };
}

/** Parses a record read from disk, refusing anything that is not a record of this format for `key`. */
export function parseEntryRecord(text: string, key: string): EntryRecord | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `record.json is not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null) return { error: 'record.json is not an object' };
  const record = value as Partial<EntryRecord>;
  if (record.format !== CACHE_FORMAT_VERSION) return { error: `record.json has format ${String(record.format)}, expected ${CACHE_FORMAT_VERSION}` };
  if (record.key !== key) return { error: `record.json is for key ${String(record.key)}, not ${key}` };
  if (typeof record.outputs !== 'object' || record.outputs === null) return { error: 'record.json has no outputs' };
  if (typeof record.job !== 'object' || record.job === null) return { error: 'record.json has no job' };
  for (const [port, output] of Object.entries(record.outputs)) {
    if (typeof output?.hash !== 'string' || typeof output.files !== 'object' || output.files === null) {
      return { error: `record.json output "${port}" has no hash or file list` };
    }
  }
  return record as EntryRecord;
}

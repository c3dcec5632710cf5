import type { Fingerprint } from './fingerprint';
import type { PortType, ResourceClass } from '../node-api';

/**
 * Everything needed to compute one node, as plain JSON. The coordinator builds it; an executor runs
 * it. Because it names inputs by the producers' cache keys (never by in-memory objects), the process
 * pool and the Slurm executor write it into the cache (`jobs/<key>/<attempt>/job.json`) and run
 * `cardigan run-node <key>` in another process or on another machine; the committed entry's record
 * keeps it, so any result can be recomputed from its record.
 */
export interface NodeJob {
  /** The key this job's entry is stored under. */
  key: string;
  /** What the key was hashed from. */
  parts: Fingerprint;
  nodeId: string;
  type: string;
  version: number;
  /** Complete params, cosmetic ones included: the node receives all of them. */
  params: Record<string, unknown>;
  seed: number;
  resource: ResourceClass;
  /** By port, fan-in lists in their given order. */
  inputs: Record<string, JobInput[]>;
  experiment: { name: string; file: string };
}

/** One upstream artifact, addressed by the entry that holds it. */
export interface JobInput {
  /** The reference as written, e.g. `camus.train`. */
  from: string;
  nodeId: string;
  port: string;
  /** Key of the producing entry: the files are in that entry's `outputs/<port>/`. */
  key: string;
  /** The artifact's content hash (what this job's key was built from). */
  hash: string;
  type: PortType;
}

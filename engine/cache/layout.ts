import * as path from 'path';
import { isKeyHash } from '../keys/key';
import { isSafeIdentifier } from '../experiment/safe-name';

/**
 * Where everything lives inside a cache folder. Only this file knows the layout:
 *
 *   entries/<key[0:2]>/<key>/record.json        what was computed, from what, and every file's hash
 *   entries/<key[0:2]>/<key>/outputs/<port>/…   the artifacts
 *   tmp/<key>.<host>.<pid>.<random>/            entries being written (renamed into entries/ when complete)
 *   locks/<key>.lock                            who is computing a key right now (and until when: its lease)
 *   jobs/<key>/<attempt>/                       a node handed to a worker (`cardigan run-node`): job.json, the
 *                                               worker's events.jsonl, result.json, its log, a Slurm job id
 *   checkpoints/<key>/ckpt-<n>/                 a running node's checkpoints (deleted once its entry commits)
 *   index/<experiment-file-hash>.json           last key of each node of an experiment (for `plan --explain`)
 *   runs/<timestamp>-<name>/run.json            one record per `cardigan run`
 *   active/<run-id>.json                        runs in progress (gc keeps what they touched)
 *   quarantine/<key>.<timestamp>/               damaged entries moved aside, with the reason
 *   fingerprints/<root-path-hash>.json          per external data folder: each file's size, times and edge hash,
 *                                               so plan does not re-read unchanged files (engine/keys/fingerprint-memo.ts)
 *
 * Temp entries live inside the cache so that publishing one is a rename within one filesystem.
 */
export class CacheLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get entriesDir(): string {
    return path.join(this.root, 'entries');
  }

  entryDir(key: string): string {
    return path.join(this.entriesDir, key.slice(0, 2), checkedKey(key));
  }

  recordFile(key: string): string {
    return path.join(this.entryDir(key), 'record.json');
  }

  outputDir(key: string, port: string): string {
    return path.join(this.entryDir(key), 'outputs', checkedPort(port));
  }

  get tmpDir(): string {
    return path.join(this.root, 'tmp');
  }

  get locksDir(): string {
    return path.join(this.root, 'locks');
  }

  lockFile(key: string): string {
    return path.join(this.locksDir, `${checkedKey(key)}.lock`);
  }

  get jobsDir(): string {
    return path.join(this.root, 'jobs');
  }

  /** Every attempt at computing a key outside the coordinator has its own folder here. */
  jobDir(key: string): string {
    return path.join(this.jobsDir, checkedKey(key));
  }

  attemptDir(key: string, attempt: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(attempt)) throw new Error(`not a job attempt name: ${JSON.stringify(attempt)}`);
    return path.join(this.jobDir(key), attempt);
  }

  checkpointDir(key: string): string {
    return path.join(this.root, 'checkpoints', checkedKey(key));
  }

  get checkpointsDir(): string {
    return path.join(this.root, 'checkpoints');
  }

  get indexDir(): string {
    return path.join(this.root, 'index');
  }

  get runsDir(): string {
    return path.join(this.root, 'runs');
  }

  get activeDir(): string {
    return path.join(this.root, 'active');
  }

  get quarantineDir(): string {
    return path.join(this.root, 'quarantine');
  }

  get fingerprintsDir(): string {
    return path.join(this.root, 'fingerprints');
  }
}

function checkedKey(key: string): string {
  if (!isKeyHash(key)) throw new Error(`not a cache key: ${JSON.stringify(key)}`);
  return key;
}

/**
 * Port names come from node type definitions (code, not YAML), but they still become folder names,
 * so anything that could climb out of the entry is refused.
 */
export function checkedPort(port: string): string {
  if (!isSafeIdentifier(port)) throw new Error(`port name ${JSON.stringify(port)} cannot be used as a folder name`);
  return port;
}

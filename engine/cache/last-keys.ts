import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { CacheLayout } from './layout';
import type { Fingerprint } from '../keys/fingerprint';
import { writeFileAtomic } from '../fs-atomic';

/**
 * The last key each node of an experiment file was cached under, with its parts: what
 * `plan --explain` compares today's fingerprint with. One small JSON file per experiment file
 * (named by a hash of its absolute path) under `cache/index/`.
 */
export interface ExperimentIndex {
  file: string;
  nodes: Record<string, IndexedKey>;
}

export interface IndexedKey {
  key: string;
  parts: Fingerprint;
  /** When a run last had this node cached or computed under this key. */
  at: string;
}

export function indexFile(layout: CacheLayout, experimentFile: string): string {
  const name = createHash('sha256').update(path.resolve(experimentFile)).digest('hex').slice(0, 32);
  return path.join(layout.indexDir, `${name}.json`);
}

export async function readIndex(layout: CacheLayout, experimentFile: string): Promise<ExperimentIndex> {
  try {
    const index = JSON.parse(await fs.readFile(indexFile(layout, experimentFile), 'utf8')) as ExperimentIndex;
    if (typeof index.nodes === 'object' && index.nodes !== null) return index;
  } catch {
    // No index yet, or an unreadable one: explanations then say "no earlier run".
  }
  return { file: path.resolve(experimentFile), nodes: {} };
}

/** Merges this run's keys into the index (read, merge, atomic replace: a concurrent run's update may be lost, never torn). */
export async function updateIndex(layout: CacheLayout, experimentFile: string, keys: Record<string, { key: string; parts: Fingerprint }>): Promise<void> {
  if (Object.keys(keys).length === 0) return;
  const index = await readIndex(layout, experimentFile);
  const at = new Date().toISOString();
  for (const [id, { key, parts }] of Object.entries(keys)) index.nodes[id] = { key, parts, at };
  await fs.mkdir(layout.indexDir, { recursive: true });
  await writeFileAtomic(indexFile(layout, experimentFile), JSON.stringify(index) + '\n');
}

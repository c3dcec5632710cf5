import { promises as fs } from 'fs';
import * as path from 'path';
import { readdirOrEmpty } from './cache';
import type { CacheLayout } from './layout';
import { writeFileAtomic } from '../fs-atomic';
import { type ProcessOwner, currentOwner, ownerIsDead } from './owner';

/**
 * Markers of runs in progress, so that `cache gc` in another terminal keeps every entry such a run
 * has touched (a run may read an entry long after resolving it as a hit). Markers of dead
 * processes are ignored and removed.
 */
export interface ActiveRun extends ProcessOwner {
  runId: string;
  startedAt: string;
}

export async function markActive(layout: CacheLayout, runId: string, startedAt: Date): Promise<() => Promise<void>> {
  await fs.mkdir(layout.activeDir, { recursive: true });
  const file = path.join(layout.activeDir, `${runId}.json`);
  const marker: ActiveRun = { ...currentOwner(), runId, startedAt: startedAt.toISOString() };
  await writeFileAtomic(file, JSON.stringify(marker));
  return () => fs.rm(file, { force: true });
}

export async function activeRuns(layout: CacheLayout): Promise<ActiveRun[]> {
  const live: ActiveRun[] = [];
  for (const name of await readdirOrEmpty(layout.activeDir)) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(layout.activeDir, name);
    let marker: ActiveRun;
    try {
      marker = JSON.parse(await fs.readFile(file, 'utf8')) as ActiveRun;
    } catch {
      continue;
    }
    if (ownerIsDead(marker)) await fs.rm(file, { force: true });
    else live.push(marker);
  }
  return live;
}

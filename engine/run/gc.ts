import { promises as fs } from 'fs';
import * as path from 'path';
import { activeRuns } from '../cache/active-runs';
import { type Cache, readdirOrEmpty } from '../cache/cache';
import { summarizeEntry } from '../cache/inspect';
import { MEMO_MAX_AGE_MS, type StaleMemo, staleMemos } from '../keys/fingerprint-memo';
import { KeyLocks } from '../cache/lock';
import { listRuns } from './run-record';
import { AttemptFolder } from './job-folder';

export interface GcOptions {
  /** Keep the entries used by the N most recent finished runs. */
  keepLast?: number;
  /** Keep entries used within this many milliseconds. */
  olderThanMs?: number;
  dryRun: boolean;
  now?: Date;
}

export interface GcReport {
  removed: { key: string; nodeId: string; size: number; lastUsed: string }[];
  kept: number;
  /** Entries that the rules would remove but a running process holds or has used. */
  protected: { key: string; reason: string }[];
  /** Quarantined (damaged) entries removed. */
  quarantine: string[];
  /** Stale memos of external data fingerprints (fingerprint-memo.ts) removed from fingerprints/. */
  fingerprints: StaleMemo[];
  /** Attempt folders under jobs/ removed (`<key>/<attempt>`): see oldAttempts. */
  jobs: string[];
  freedBytes: number;
  dryRun: boolean;
}

/**
 * Removes entries that no rule keeps. With both rules, an entry goes only when both let it go.
 * Never removed: an entry whose key is locked by a live process (being written), and an entry used
 * since the start of a run still in progress (that run may read it later). Run records are kept:
 * they are small, and they are the history of what produced each result. Quarantined entries go too,
 * and so do stale fingerprint memos: their data folder is gone, or they were not used for
 * `olderThanMs` (30 days without it).
 */
export async function collectGarbage(cache: Cache, options: GcOptions): Promise<GcReport> {
  const now = options.now ?? new Date();
  const keepByRuns = new Set<string>();
  if (options.keepLast !== undefined) {
    const runs = await listRuns(cache.layout);
    for (const run of runs.slice(Math.max(0, runs.length - options.keepLast))) {
      for (const node of run.nodes) if (node.key !== null && (node.status === 'cached' || node.status === 'done')) keepByRuns.add(node.key);
    }
  }
  const cutoff = options.olderThanMs === undefined ? undefined : now.getTime() - options.olderThanMs;
  const active = await activeRuns(cache.layout);
  const activeSince = active.length === 0 ? undefined : Math.min(...active.map((run) => Date.parse(run.startedAt)));
  const locks = new KeyLocks(cache.layout, 'gc');

  const report: GcReport = { removed: [], kept: 0, protected: [], quarantine: [], fingerprints: [], jobs: [], freedBytes: 0, dryRun: options.dryRun };
  for (const key of await cache.keys()) {
    const summary = await summarizeEntry(cache, key);
    const lastUsed = summary === undefined ? 0 : Date.parse(summary.lastUsed);
    const keptByRuns = options.keepLast !== undefined && keepByRuns.has(key);
    const keptByAge = cutoff !== undefined && lastUsed >= cutoff;
    if (keptByRuns || keptByAge) {
      report.kept++;
      continue;
    }
    const holder = await locks.liveHolder(key);
    if (holder !== undefined) {
      report.protected.push({ key, reason: `locked by pid ${holder.pid} on ${holder.host}` });
      continue;
    }
    if (activeSince !== undefined && lastUsed >= activeSince) {
      report.protected.push({ key, reason: 'used by a run still in progress' });
      continue;
    }
    report.removed.push({ key, nodeId: summary?.nodeId ?? '?', size: summary?.size ?? 0, lastUsed: summary?.lastUsed ?? 'unknown' });
    report.freedBytes += summary?.size ?? 0;
    if (!options.dryRun) await cache.remove(key);
  }
  for (const name of await readdirOrEmpty(cache.layout.quarantineDir)) {
    report.quarantine.push(name);
    if (!options.dryRun) await fs.rm(path.join(cache.layout.quarantineDir, name), { recursive: true, force: true });
  }
  report.fingerprints = await staleMemos(cache.layout.fingerprintsDir, { maxAgeMs: options.olderThanMs ?? MEMO_MAX_AGE_MS, now });
  if (!options.dryRun) for (const memo of report.fingerprints) await fs.rm(memo.file, { force: true });
  for (const attempt of await oldAttempts(cache, locks, now.getTime() - (options.olderThanMs ?? ATTEMPT_MAX_AGE_MS))) {
    report.jobs.push(`${attempt.key}/${attempt.name}`);
    if (!options.dryRun) {
      await attempt.remove();
      await fs.rmdir(path.dirname(attempt.dir)).catch(() => undefined);
    }
  }
  if (!options.dryRun) await cache.removeOrphanTemps();
  return report;
}

/** An attempt folder without a result may belong to a Slurm job still queued; after this long it is let go. */
const ATTEMPT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * Attempt folders left under jobs/ (successful ones remove themselves): those with a result.json,
 * whose worker is done and whose outcome the run record holds, and those older than `cutoff` without
 * one. None of a key whose lock a live process holds.
 */
async function oldAttempts(cache: Cache, locks: KeyLocks, cutoff: number): Promise<AttemptFolder[]> {
  const found: AttemptFolder[] = [];
  for (const key of await readdirOrEmpty(cache.layout.jobsDir)) {
    if (!/^[0-9a-f]{64}$/.test(key) || (await locks.liveHolder(key)) !== undefined) continue;
    for (const attempt of await AttemptFolder.list(cache.layout, key)) {
      const finished = (await attempt.readResult()) !== undefined;
      const modified = await fs.stat(attempt.dir).then(
        (stat) => stat.mtimeMs,
        () => 0,
      );
      if (finished || modified < cutoff) found.push(attempt);
    }
  }
  return found;
}

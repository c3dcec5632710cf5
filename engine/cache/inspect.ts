import { promises as fs } from 'fs';
import * as path from 'path';
import { type Cache, readdirOrEmpty } from './cache';
import type { EntryRecord } from './entry-record';

/** One line of `cardigan cache ls`. */
export interface EntrySummary {
  key: string;
  nodeId: string;
  type: string;
  version: number;
  experiment: string;
  /** Bytes of the outputs plus the record. */
  size: number;
  createdAt: string;
  /** The last run that computed or reused the entry (record.json's mtime). */
  lastUsed: string;
}

/** Entries whose record cannot be read are listed by `cache verify`, not here. */
export async function listEntries(cache: Cache): Promise<EntrySummary[]> {
  const summaries: EntrySummary[] = [];
  for (const key of await cache.keys()) {
    const summary = await summarizeEntry(cache, key);
    if (summary !== undefined) summaries.push(summary);
  }
  return summaries.sort((a, b) => b.lastUsed.localeCompare(a.lastUsed));
}

export async function summarizeEntry(cache: Cache, key: string): Promise<EntrySummary | undefined> {
  const file = cache.layout.recordFile(key);
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    const record = JSON.parse(text) as EntryRecord;
    const outputBytes = Object.values(record.outputs).reduce((sum, output) => sum + Object.values(output.files).reduce((s, f) => s + f.size, 0), 0);
    return {
      key,
      nodeId: record.job.nodeId,
      type: record.job.type,
      version: record.job.version,
      experiment: record.job.experiment.file,
      size: outputBytes + stat.size,
      createdAt: record.provenance.finishedAt,
      lastUsed: stat.mtime.toISOString(),
    };
  } catch {
    return undefined;
  }
}

export interface VerifyReport {
  checked: number;
  bad: { key: string; problems: string[]; movedTo: string | null }[];
  /** Temp entries of dead processes, removed (they were never entries, so they are not errors). */
  orphans: string[];
}

/**
 * Rehashes every file of every entry (the slow, thorough check; runs only stat files). A damaged
 * entry is moved to quarantine/ so that no run can use it, and reported.
 */
export async function verifyCache(cache: Cache, onEntry?: (key: string, problems: string[]) => void): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, bad: [], orphans: await cache.removeOrphanTemps() };
  for (const key of await cache.keys()) {
    report.checked++;
    const found = await cache.lookup(key, 'rehash');
    const problems = found.state === 'invalid' ? found.problems : found.state === 'absent' ? ['vanished while checking'] : [];
    onEntry?.(key, problems);
    if (found.state !== 'invalid') continue;
    report.bad.push({ key, problems, movedTo: (await cache.quarantine(key, problems)) ?? null });
  }
  for (const shard of await readdirOrEmpty(cache.layout.entriesDir)) {
    // Stray files or folders that are not entries would be invisible to everything else.
    for (const name of await readdirOrEmpty(path.join(cache.layout.entriesDir, shard))) {
      if (!/^[0-9a-f]{64}$/.test(name) || !name.startsWith(shard)) {
        report.bad.push({ key: `${shard}/${name}`, problems: ['not an entry (unexpected name in entries/)'], movedTo: null });
      }
    }
  }
  return report;
}

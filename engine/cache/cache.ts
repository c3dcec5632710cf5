// Room cache/: the cache folder — its layout, entries and their records, locks, checkpoints, the
// last key of each node, markers of active runs, and the software versions entries record.
// Imports keys/, experiment/ types and the engine's top files; never run/, cli/, compute/.

import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { type ArtifactProblem, type CheckMode, checkArtifact, describeProblem, hashArtifact } from '../keys/artifact-hash';
import { CacheLayout, checkedPort } from './layout';
import { type EntryRecord, type OutputRecord, type Provenance, parseEntryRecord } from './entry-record';
import { fsyncDir, fsyncTree, writeFileAtomic } from '../fs-atomic';
import type { NodeJob } from '../keys/job';
import type { PortSpec } from '../node-api';
import { currentOwner, ownerIsDead } from './owner';

/** What a lookup found. A damaged entry is never returned as a hit: it is `invalid`, with the reasons. */
export type EntryLookup = { state: 'hit'; record: EntryRecord } | { state: 'absent' } | { state: 'invalid'; problems: string[] };

/** An entry being written: a folder under tmp/ that becomes `entries/…/<key>` in one rename, or disappears. */
export interface TempEntry {
  readonly key: string;
  readonly dir: string;
  readonly outputsDir: string;
  /** Inside the temp entry so that it goes with it; removed before the entry is published. */
  readonly scratchDir: string;
}

/**
 * The content-addressed entry store. Every entry is complete or absent: outputs are written into a
 * temp folder inside the cache, hashed, described in record.json, fsynced, and renamed into place.
 * Reads check the files against the record (see CheckMode for how hard).
 */
export class Cache {
  readonly layout: CacheLayout;

  constructor(root: string) {
    this.layout = new CacheLayout(root);
  }

  get root(): string {
    return this.layout.root;
  }

  async lookup(key: string, mode: CheckMode = 'stat'): Promise<EntryLookup> {
    let text: string;
    try {
      text = await fs.readFile(this.layout.recordFile(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { state: 'invalid', problems: [`record.json unreadable: ${(error as Error).message}`] };
      try {
        await fs.access(this.layout.entryDir(key));
      } catch {
        return { state: 'absent' };
      }
      return { state: 'invalid', problems: ['record.json: missing'] };
    }
    const record = parseEntryRecord(text, key);
    if ('error' in record) return { state: 'invalid', problems: [record.error] };
    const problems = await this.checkOutputs(key, record, mode);
    return problems.length === 0 ? { state: 'hit', record } : { state: 'invalid', problems };
  }

  private async checkOutputs(key: string, record: EntryRecord, mode: CheckMode): Promise<string[]> {
    const problems: string[] = [];
    const outputsDir = path.join(this.layout.entryDir(key), 'outputs');
    let present: string[] = [];
    try {
      present = await fs.readdir(outputsDir);
    } catch {
      // Reported below as missing files of each port.
    }
    for (const port of present) {
      if (!(port in record.outputs)) problems.push(`outputs/${port}: not part of the entry`);
    }
    for (const [port, manifest] of Object.entries(record.outputs)) {
      let dir: string;
      try {
        dir = this.layout.outputDir(key, port);
      } catch (error) {
        problems.push((error as Error).message);
        continue;
      }
      const found: ArtifactProblem[] = await checkArtifact(dir, manifest, mode);
      problems.push(...found.map((problem) => `outputs/${port}/${describeProblem(problem)}`));
    }
    return problems;
  }

  /** Marks the entry as used now (record.json's mtime): `cache ls` shows it and `gc --older-than` reads it. */
  async touch(key: string): Promise<void> {
    const now = new Date();
    try {
      await fs.utimes(this.layout.recordFile(key), now, now);
    } catch {
      // An entry removed in the meantime by gc in another process is simply not marked.
    }
  }

  async beginEntry(key: string): Promise<TempEntry> {
    const owner = currentOwner();
    const name = `${key}.${owner.pid}.${randomBytes(4).toString('hex')}.${owner.host}`;
    const dir = path.join(this.layout.tmpDir, name);
    const outputsDir = path.join(dir, 'outputs');
    const scratchDir = path.join(dir, 'scratch');
    await fs.mkdir(outputsDir, { recursive: true });
    await fs.mkdir(scratchDir, { recursive: true });
    return { key, dir, outputsDir, scratchDir };
  }

  /**
   * Hashes the outputs, writes record.json, fsyncs, and renames the temp entry into place. With
   * `replace` (`--force`), an existing entry for the key is swapped out; otherwise an entry that
   * appeared meanwhile wins and this one is discarded (both hold the same key's result).
   */
  async commit(temp: TempEntry, job: NodeJob, ports: Record<string, PortSpec>, provenance: Provenance, replace = false): Promise<EntryRecord> {
    await fs.rm(temp.scratchDir, { recursive: true, force: true });
    const outputs: Record<string, OutputRecord> = {};
    for (const port of (await fs.readdir(temp.outputsDir)).sort()) {
      const spec = ports[port];
      if (spec === undefined) throw new Error(`wrote output "${port}", which the node type does not declare (declared: ${Object.keys(ports).join(', ')})`);
      outputs[port] = { type: spec.type, ...(await hashArtifact(path.join(temp.outputsDir, checkedPort(port)))) };
    }
    const missing = Object.entries(ports).filter(([port, spec]) => spec.optional !== true && outputs[port] === undefined);
    if (missing.length > 0) {
      throw new Error(`finished without writing output ${missing.map(([port]) => `"${port}"`).join(', ')} (call ctx.outputDir(port) and write into it)`);
    }
    const record: EntryRecord = { format: job.parts.format, key: temp.key, job, outputs, provenance };
    await fs.writeFile(path.join(temp.dir, 'record.json'), JSON.stringify(record, null, 2) + '\n');
    await fsyncTree(temp.dir, { folders: false });

    const target = this.layout.entryDir(temp.key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.rename(temp.dir, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (!replace) {
        await this.discard(temp);
        const existing = await this.lookup(temp.key);
        if (existing.state === 'hit') return existing.record;
        throw new Error(`entry ${temp.key} appeared while writing it and is damaged: ${existing.state === 'invalid' ? existing.problems.join('; ') : 'gone'}`);
      }
      const old = `${temp.dir}.replaced`;
      await fs.rename(target, old);
      await fs.rename(temp.dir, target);
      await fs.rm(old, { recursive: true, force: true });
    }
    await fsyncDir(path.dirname(target));
    return record;
  }

  async discard(temp: TempEntry): Promise<void> {
    await fs.rm(temp.dir, { recursive: true, force: true });
  }

  /**
   * Moves a damaged entry out of the way so that it is never read again, keeping it (with the
   * reasons) for inspection until the next `cache gc`. Returns where it went, or undefined when
   * another process moved it first.
   */
  async quarantine(key: string, problems: string[]): Promise<string | undefined> {
    await fs.mkdir(this.layout.quarantineDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const destination = path.join(this.layout.quarantineDir, `${key}.${stamp}.${randomBytes(3).toString('hex')}`);
    try {
      await fs.rename(this.layout.entryDir(key), destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    await writeFileAtomic(
      path.join(destination, 'QUARANTINED.txt'),
      `moved aside ${new Date().toISOString()} because:\n${problems.map((p) => `  ${p}\n`).join('')}`,
    );
    return destination;
  }

  async remove(key: string): Promise<void> {
    // Rename first so that a reader never sees a half-deleted entry.
    const owner = currentOwner();
    const doomed = path.join(this.layout.tmpDir, `${key}.${owner.pid}.${randomBytes(4).toString('hex')}.${owner.host}.removing`);
    await fs.mkdir(this.layout.tmpDir, { recursive: true });
    try {
      await fs.rename(this.layout.entryDir(key), doomed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await fs.rm(doomed, { recursive: true, force: true });
  }

  /** Keys of all entries, sorted. */
  async keys(): Promise<string[]> {
    const keys: string[] = [];
    for (const shard of await readdirOrEmpty(this.layout.entriesDir)) {
      for (const name of await readdirOrEmpty(path.join(this.layout.entriesDir, shard))) {
        if (/^[0-9a-f]{64}$/.test(name) && name.startsWith(shard)) keys.push(name);
      }
    }
    return keys.sort();
  }

  /**
   * Removes temp entries left by processes that died on this host (kill -9, power loss). Entries of
   * live processes, and of processes on other hosts, are left alone. Returns the removed folders.
   */
  async removeOrphanTemps(): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdirOrEmpty(this.layout.tmpDir)) {
      const owner = parseTempName(name);
      if (owner === undefined || !ownerIsDead(owner)) continue;
      await fs.rm(path.join(this.layout.tmpDir, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }
}

/** `<key>.<pid>.<random>.<host>` (hosts may contain dots, so the host comes last). */
function parseTempName(name: string): { pid: number; host: string } | undefined {
  const match = /^[0-9a-f]{64}\.(\d+)\.[0-9a-f]+\.(.+)$/.exec(name);
  if (match === null) return undefined;
  const host = match[2].replace(/\.(replaced|removing)$/, '');
  return { pid: Number(match[1]), host };
}

export async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

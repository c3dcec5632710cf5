import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { readdirOrEmpty } from './cache';
import { fsyncDir, fsyncTree } from '../fs-atomic';
import type { CheckpointStore } from '../node-api';

/**
 * A node's checkpoints, in `cache/checkpoints/<key>/`. Each save fills a fresh temp folder, fsyncs
 * it and renames it to the next `ckpt-<n>`: the rename is the commit point, so a crash at any moment
 * leaves the previous checkpoint or the new one, never a torn one. Older checkpoints are pruned
 * after the new one is in place. They live outside the temp entry so that Ctrl-C, which discards
 * the temp entry, keeps them; they are deleted once the entry commits.
 *
 * Because the folder is named by the key, a checkpoint is only ever resumed by the same type,
 * version, params, inputs and seed that wrote it.
 */
export class DirCheckpointStore implements CheckpointStore {
  constructor(readonly dir: string) {}

  async latest(): Promise<string | undefined> {
    const names = (await readdirOrEmpty(this.dir)).filter((name) => /^ckpt-\d+$/.test(name)).sort();
    const last = names[names.length - 1];
    return last === undefined ? undefined : path.join(this.dir, last);
  }

  async save(write: (dir: string) => Promise<void>): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const temp = path.join(this.dir, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(temp);
    try {
      await write(temp);
      await fsyncTree(temp, { folders: true });
      const latest = await this.latest();
      const next = latest === undefined ? 1 : Number(path.basename(latest).slice('ckpt-'.length)) + 1;
      await fs.rename(temp, path.join(this.dir, `ckpt-${String(next).padStart(6, '0')}`));
      await fsyncDir(this.dir);
    } catch (error) {
      await fs.rm(temp, { recursive: true, force: true });
      throw error;
    }
    await this.prune();
  }

  /** Keeps only the newest checkpoint and removes temp folders of saves that never finished. */
  private async prune(): Promise<void> {
    const names = await readdirOrEmpty(this.dir);
    const checkpoints = names.filter((name) => /^ckpt-\d+$/.test(name)).sort();
    const doomed = [...checkpoints.slice(0, -1), ...names.filter((name) => name.startsWith('tmp-') && !name.startsWith(`tmp-${process.pid}-`))];
    await Promise.all(doomed.map((name) => fs.rm(path.join(this.dir, name), { recursive: true, force: true })));
  }

  async clear(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

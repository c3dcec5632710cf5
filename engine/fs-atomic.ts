import { promises as fs } from 'fs';
import * as path from 'path';

/**
 * The few filesystem moves the cache's "complete or absent" rule stands on: data reaches the disk
 * (fsync) before the rename that publishes it, and the rename itself is made durable by syncing
 * the folder that holds it.
 */

/** Writes a file next to its destination, fsyncs it, then renames it over the destination. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(path.dirname(file));
}

/**
 * fsyncs every regular file under `dir`, so that a later rename publishes data that is on disk; with
 * `folders`, every folder too. Cache entries skip the folders (each sync is a disk flush): if a
 * power loss drops a name inside an entry, the entry misses files, which the read check reports as
 * damaged and recomputes — a lost result, never a wrong one. Checkpoints, which nothing verifies,
 * sync their folders. The caller makes the final rename durable by syncing its destination's parent.
 */
export async function fsyncTree(dir: string, options: { folders: boolean }): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await fsyncTree(full, options);
      else if (entry.isFile()) await fsyncFile(full);
    }),
  );
  if (options.folders) await fsyncDir(dir);
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename or create inside `dir` durable. Some filesystems refuse fsync on folders; that is fine. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on filesystems without directory fsync: nothing more can be done portably.
  } finally {
    await handle?.close();
  }
}

/** Whether a file or folder exists (and is reachable); never throws. */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

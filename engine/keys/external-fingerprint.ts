import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { type FileStamp, FingerprintMemo } from './fingerprint-memo';

/**
 * A content fingerprint of data outside the cache that is cheap enough to take on every plan, yet the
 * same on any machine that holds the same files: each file's path relative to the root, its size, and
 * a hash of its first and last 64 KiB. Modification times are left out on purpose — they change when
 * a dataset is copied to another machine, and a copy must not invalidate the cache. An edit that keeps
 * the size and touches only the middle of a large file goes unnoticed; `--force` covers that case.
 * (Times do serve, on one machine, to skip reading unchanged files again: see fingerprint-memo.ts.)
 */
const EDGE_BYTES = 64 * 1024;

/** The fingerprint of a path that does not exist. */
export const MISSING = 'missing';

/** `$NAME` or `$NAME/sub/path`: a path that starts at the folder an environment variable names. */
const ENV_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)(?:[/\\](.*))?$/s;

/**
 * Where a path written in an experiment (a param naming data on disk) points: relative paths are
 * taken from the experiment file's folder, so the experiment means the same wherever it is run from.
 * `$NAME/...` starts at the value of the environment variable NAME (relative to the working
 * directory, as a shell user means it); the written form, not the value, is what keys record.
 * Keys and nodes (NodeContext.resolvePath) both resolve through here.
 */
export function resolveExperimentPath(experimentFile: string, written: string, env: NodeJS.ProcessEnv = process.env): string {
  const variable = ENV_PATH.exec(written);
  if (variable === null) return path.resolve(path.dirname(experimentFile), written);
  const value = env[variable[1]];
  if (value === undefined || value === '')
    throw new UserError(`${written}: the environment variable ${variable[1]} is not set (set it to the folder it should name)`);
  return path.resolve(value, variable[2] ?? '');
}

/** Files hashed at once: enough to keep the disk and libuv's threads busy, few enough to stay polite. */
const PARALLEL_FILES = 16;

/**
 * With `memoDir` (the cache's fingerprints folder), a file whose size and times are those of the last
 * fingerprint is not read again (fingerprint-memo.ts); the fingerprint is the same either way.
 */
export async function externalFingerprint(root: string, memoDir?: string): Promise<string> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (stat === undefined) return MISSING;
  const files = stat.isDirectory() ? await listFiles(root) : [''];
  const memo = memoDir === undefined ? undefined : await FingerprintMemo.open(memoDir, root);
  const hashOf = async (relative: string): Promise<string> => {
    const file = relative === '' ? root : path.join(root, relative);
    if (memo === undefined) return edgeHash(file);
    const { size, mtimeMs, ctimeMs } = await fs.stat(file);
    const stamp: FileStamp = { size, mtimeMs, ctimeMs };
    return memo.hash(relative, stamp, () => edgeHash(file));
  };
  const hashes = new Array<string>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      hashes[index] = await hashOf(files[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, files.length) }, worker));
  await memo?.save();
  const hash = createHash('sha256');
  files.forEach((relative, index) => hash.update(`${relative.split(path.sep).join('/')}\0${hashes[index]}\n`));
  return hash.digest('hex');
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

async function edgeHash(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256').update(String(size));
    const head = Buffer.alloc(Math.min(size, EDGE_BYTES));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > EDGE_BYTES) {
      const tail = Buffer.alloc(Math.min(size - EDGE_BYTES, EDGE_BYTES));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

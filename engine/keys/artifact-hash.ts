import { createHash } from 'crypto';
import { createReadStream, promises as fs, type Stats } from 'fs';
import * as path from 'path';
import { unreachable } from '../errors';
import { VOLATILE_FOLDER } from '../node-api';

/**
 * Content hashes of artifact folders. An artifact's hash depends only on its files' relative paths
 * and bytes (not on mtimes, owners or where the cache lives), so it is the same on every machine and
 * is what downstream keys are built from.
 *
 * Files under a port's `volatile/` folder (wall-clock timings and the like) are stored, recorded and
 * verified like every other file, but stay out of the artifact hash: a rerun that reproduces the
 * same results with different timings keeps its hash, so its consumers are not recomputed.
 */

export interface FileFacts {
  sha256: string;
  size: number;
  /** mtime when the entry was written: the fast check's evidence that the file was not touched since. */
  mtimeMs: number;
}

export interface ArtifactManifest {
  /** sha256 over the sorted (relative path, file sha256) pairs, `volatile/` files left out. */
  hash: string;
  /** By relative POSIX path, sorted. */
  files: Record<string, FileFacts>;
}

/** Why an artifact on disk no longer matches its manifest. */
export type ArtifactProblem =
  | { reason: 'missing'; file: string }
  | { reason: 'altered'; file: string; detail: string }
  | { reason: 'unexpected'; file: string }
  | { reason: 'unsafe-path'; file: string };

/**
 * How hard `checkArtifact` looks. `stat`: size and mtime (to the millisecond) must match the
 * manifest, and only files whose stat differs are rehashed (a touched but identical file passes). `rehash`: every file is
 * read and hashed, which also catches bit rot that keeps size and mtime (`cache verify`).
 */
export type CheckMode = 'stat' | 'rehash';

export async function hashArtifact(dir: string): Promise<ArtifactManifest> {
  const files: Record<string, FileFacts> = {};
  for (const relative of await listFiles(dir)) {
    const full = path.join(dir, ...relative.split('/'));
    const stat = await fs.stat(full);
    files[relative] = { sha256: await hashFile(full), size: stat.size, mtimeMs: stat.mtimeMs };
  }
  return { hash: combineHashes(files), files };
}

/**
 * The artifact hash from per-file hashes: one line per file, `path NUL sha256 LF`, in sorted path
 * order, skipping volatile files. The one place that decides what an artifact's identity is.
 */
export function combineHashes(files: Record<string, { sha256: string }>): string {
  const hash = createHash('sha256');
  for (const relative of Object.keys(files).sort()) {
    if (!isVolatile(relative)) hash.update(`${relative}\0${files[relative].sha256}\n`);
  }
  return hash.digest('hex');
}

/** A file under the port's top-level `volatile/` folder: kept and verified, not hashed into the artifact's identity. */
export function isVolatile(relative: string): boolean {
  return relative.startsWith(`${VOLATILE_FOLDER}/`);
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Relative POSIX paths of the regular files under `dir`, sorted. Links and devices are refused. */
export async function listFiles(dir: string): Promise<string[]> {
  const { files, others } = await walk(dir);
  if (others.length > 0) {
    throw new Error(`${path.join(dir, others[0])} is not a regular file (links and devices cannot be cached)`);
  }
  return files;
}

/** Regular files and everything else (links, sockets...) under `dir`, as sorted relative POSIX paths. */
async function walk(dir: string): Promise<{ files: string[]; others: string[] }> {
  const files: string[] = [];
  const others: string[] = [];
  async function visit(folder: string, prefix: string): Promise<void> {
    for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await visit(path.join(folder, entry.name), relative);
      else if (entry.isFile()) files.push(relative);
      else others.push(relative);
    }
  }
  await visit(dir, '');
  return { files: files.sort(), others: others.sort() };
}

/** Compares a folder with its manifest. An empty list means the artifact is intact. */
export async function checkArtifact(dir: string, manifest: ArtifactManifest, mode: CheckMode): Promise<ArtifactProblem[]> {
  const problems: ArtifactProblem[] = [];
  for (const [relative, facts] of Object.entries(manifest.files)) {
    if (!isSafeRelativePath(relative)) {
      problems.push({ reason: 'unsafe-path', file: relative });
      continue;
    }
    const full = path.join(dir, ...relative.split('/'));
    let stat: Stats;
    try {
      stat = await fs.stat(full);
    } catch {
      problems.push({ reason: 'missing', file: relative });
      continue;
    }
    if (!stat.isFile()) {
      problems.push({ reason: 'altered', file: relative, detail: 'no longer a regular file' });
    } else if (stat.size !== facts.size) {
      problems.push({ reason: 'altered', file: relative, detail: `size ${facts.size} → ${stat.size} bytes` });
    } else if (mode === 'rehash' || !sameMillisecond(stat.mtimeMs, facts.mtimeMs)) {
      const actual = await hashFile(full);
      if (actual !== facts.sha256) problems.push({ reason: 'altered', file: relative, detail: 'content hash differs' });
    }
  }
  let present: string[] = [];
  try {
    const { files, others } = await walk(dir);
    present = [...files, ...others];
  } catch {
    // A folder that cannot be listed has already shown up as missing files above.
  }
  for (const relative of present) {
    if (!(relative in manifest.files)) problems.push({ reason: 'unexpected', file: relative });
  }
  if (problems.length === 0 && combineHashes(manifest.files) !== manifest.hash) {
    problems.push({ reason: 'altered', file: '(manifest)', detail: 'artifact hash does not match its file list' });
  }
  return problems;
}

/**
 * mtimes are compared to the millisecond: tools that copy mtimes (cp -p, rsync -t, tar) round
 * sub-millisecond digits, and a mismatch would only cost a rehash, never a wrong hit.
 */
function sameMillisecond(a: number, b: number): boolean {
  return Math.trunc(a) === Math.trunc(b);
}

/** A manifest path must stay inside its folder: relative, no `..`, no empty segments, no NUL or backslash. */
export function isSafeRelativePath(relative: string): boolean {
  if (relative === '' || relative.includes('\0') || relative.includes('\\') || relative.startsWith('/')) return false;
  return relative.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function describeProblem(problem: ArtifactProblem): string {
  switch (problem.reason) {
    case 'missing':
      return `${problem.file}: missing`;
    case 'altered':
      return `${problem.file}: altered (${problem.detail})`;
    case 'unexpected':
      return `${problem.file}: not part of the entry`;
    case 'unsafe-path':
      return `${JSON.stringify(problem.file)}: path escapes the entry`;
    default:
      return unreachable(problem);
  }
}

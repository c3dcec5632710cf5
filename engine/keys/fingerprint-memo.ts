import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../fs-atomic';

/**
 * Remembers the edge hash of each file under one external root, by the file's size and times on
 * this machine, so that `plan` on a large release (CAMUS: thousands of files) stats each file
 * instead of reading 128 KiB of it. The memo only saves work: the fingerprint is made of the hashes
 * alone, so a key stays the same on another machine, where a missing memo simply means reading the
 * files again. ctime joins mtime because tools that restore mtime (cp -p, rsync -t) cannot restore it.
 *
 * A file changed within the last SETTLED_MS is read but not remembered (git's "racy" rule): file
 * times tick coarsely (a few ms on Linux, 2 s on FAT), so a same-size edit right after a plan could
 * otherwise keep the stamp the memo holds.
 *
 * A memo file's mtime is when it was last used (saved or read back whole), which `cache gc` reads:
 * see `staleMemos`.
 */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

interface MemoFile {
  format: 'cardigan-fingerprint-memo/1';
  root: string;
  /** relative path → [size, mtimeMs, ctimeMs, edge hash] */
  files: Record<string, [number, number, number, string]>;
}

const FORMAT = 'cardigan-fingerprint-memo/1';
export const SETTLED_MS = 2000;

export class FingerprintMemo {
  private readonly next: MemoFile['files'] = {};
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly root: string,
    private readonly known: MemoFile['files'],
  ) {}

  /** The memo of `root` kept in `dir`; an unreadable or foreign memo file counts as empty. */
  static async open(dir: string, root: string): Promise<FingerprintMemo> {
    const file = path.join(dir, `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.json`);
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    let known: MemoFile['files'] = {};
    if (text !== undefined) {
      try {
        const parsed = JSON.parse(text) as Partial<MemoFile>;
        if (parsed.format === FORMAT && parsed.root === root && typeof parsed.files === 'object' && parsed.files !== null) known = parsed.files;
      } catch {
        // A torn or hand-edited memo is only a lost shortcut.
      }
    }
    return new FingerprintMemo(file, root, known);
  }

  /** The remembered hash of `relative` when its stamp is unchanged, else what `compute` gives (then remembered once settled). */
  async hash(relative: string, stamp: FileStamp, compute: () => Promise<string>): Promise<string> {
    const entry = this.known[relative];
    if (entry !== undefined && entry[0] === stamp.size && entry[1] === stamp.mtimeMs && entry[2] === stamp.ctimeMs) {
      this.next[relative] = entry;
      return entry[3];
    }
    const hash = await compute();
    if (Date.now() - Math.max(stamp.mtimeMs, stamp.ctimeMs) >= SETTLED_MS) {
      this.next[relative] = [stamp.size, stamp.mtimeMs, stamp.ctimeMs, hash];
      this.changed = true;
    }
    return hash;
  }

  /**
   * Writes the memo when it learnt a hash or lost one; files not seen this time (or no longer settled)
   * are forgotten. An unchanged memo is only touched, to mark it used.
   */
  async save(): Promise<void> {
    const gone = Object.keys(this.known).some((relative) => this.next[relative] === undefined);
    if (!this.changed && !gone) {
      const now = new Date();
      await fs.utimes(this.file, now, now).catch(() => undefined);
      return;
    }
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const memo: MemoFile = { format: FORMAT, root: this.root, files: this.next };
    await writeFileAtomic(this.file, JSON.stringify(memo));
  }
}

/** A memo file that `cache gc` removes, and why. */
export interface StaleMemo {
  file: string;
  /** The data folder it remembers, when the file says. */
  root?: string;
  reason: string;
}

/** Memos not used for this long go, when gc is not given `--older-than`. */
export const MEMO_MAX_AGE_MS = 30 * 86_400_000;

/**
 * The memo files of `dir` that can no longer save work: unreadable or of another format, remembering
 * a data folder that no longer exists (moved or deleted: a memo is by absolute path, so a moved
 * release gets a new one), or not used for `maxAgeMs`. Removing a memo is always safe: the next
 * plan reads those files again and writes a new one.
 */
export async function staleMemos(dir: string, options: { maxAgeMs: number; now: Date }): Promise<StaleMemo[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const stale: StaleMemo[] = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat === undefined || !stat.isFile()) continue;
    let root: string | undefined;
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<MemoFile>;
      if (parsed.format === FORMAT && typeof parsed.root === 'string') root = parsed.root;
    } catch {
      // Reported below as unreadable.
    }
    if (root === undefined) stale.push({ file, reason: 'not a fingerprint memo (unreadable or another format)' });
    else if (!(await exists(root))) stale.push({ file, root, reason: `its data is gone (${root})` });
    else if (options.now.getTime() - stat.mtimeMs > options.maxAgeMs)
      stale.push({ file, root, reason: `not used for ${Math.floor((options.now.getTime() - stat.mtimeMs) / 86_400_000)} days` });
  }
  return stale;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

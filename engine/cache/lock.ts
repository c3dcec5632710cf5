import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import { setTimeout as delay } from 'timers/promises';
import type { CacheLayout } from './layout';
import { type ProcessOwner, currentOwner, ownerIsDead } from './owner';

/**
 * One lock file per key, created with O_EXCL, so that two `cardigan run` processes on one cache never
 * compute the same key at once: the second waits, then reuses the entry the first wrote.
 *
 * A lock whose owner died on this host (kill -9, crash) is stale and is broken by the next process
 * that meets it. Breaking renames the file aside and checks it was the stale one before deleting it,
 * so a lock freshly taken by a third process in between is put back, not lost.
 *
 * An owner on another host (a Slurm job on a shared cache) cannot be checked for life, so a lock is
 * also a lease: its holder touches the file every quarter of `leaseMs`, and a lock from another host
 * whose file has not been touched for longer than its lease is stale — its holder died with its
 * machine or its job. (This reads the file's mtime against the local clock: hosts sharing a cache
 * need clocks that agree to well within a lease, as NTP gives.) Locks written without a lease (by
 * older cardigan versions) on other hosts are waited for, as before. Known limit: if a dead owner's
 * pid on this host has been reused by an unrelated process, the lock looks alive until that process exits.
 */
export interface LockInfo extends ProcessOwner {
  startedAt: string;
  /** Tells this holding apart from any other, even by the same pid. */
  token: string;
  runId: string;
  /** The holder touches the file at least this often (by a quarter of it); absent in older locks. */
  leaseMs?: number;
}

export interface HeldLock {
  readonly key: string;
  release(): Promise<void>;
}

/** How long a lock outlives its holder's last sign of life, by default. */
export const DEFAULT_LEASE_MS = 60_000;

export type LockAttempt = { acquired: true; lock: HeldLock; brokeStale: LockInfo | undefined } | { acquired: false; holder: LockInfo | undefined };

/** A lock file that exists but could not be read is treated as being written for this long, then as stale. */
const UNREADABLE_GRACE_MS = 10_000;

export class KeyLocks {
  private readonly leaseMs: number;

  constructor(
    private readonly layout: CacheLayout,
    private readonly runId: string,
    options: { leaseMs?: number } = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  async tryAcquire(key: string): Promise<LockAttempt> {
    const file = this.layout.lockFile(key);
    await fs.mkdir(this.layout.locksDir, { recursive: true });
    let brokeStale: LockInfo | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      const info: LockInfo = {
        ...currentOwner(),
        startedAt: new Date().toISOString(),
        token: randomBytes(8).toString('hex'),
        runId: this.runId,
        leaseMs: this.leaseMs,
      };
      try {
        const handle = await fs.open(file, 'wx');
        try {
          await handle.writeFile(JSON.stringify(info));
        } finally {
          await handle.close();
        }
        return { acquired: true, lock: holdLease(key, file, info.token, this.leaseMs), brokeStale };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = await readLock(file);
      if (seen === 'absent') continue;
      if (!isStale(seen)) return { acquired: false, holder: seen.info };
      if (await breakLock(file, seen.info)) brokeStale = seen.info;
    }
    return { acquired: false, holder: undefined };
  }

  /** The live holder of a key's lock, if any (gc must not delete what is being written). */
  async liveHolder(key: string): Promise<LockInfo | undefined> {
    const seen = await readLock(this.layout.lockFile(key));
    if (seen === 'absent' || isStale(seen)) return undefined;
    return seen.info;
  }

  /** Resolves when the key's lock is gone or stale; rejects with an AbortError when the signal aborts. */
  async waitForRelease(key: string, signal: AbortSignal, pollMs = 100): Promise<void> {
    const file = this.layout.lockFile(key);
    for (;;) {
      signal.throwIfAborted();
      const seen = await readLock(file);
      if (seen === 'absent' || isStale(seen)) return;
      await delay(pollMs, undefined, { signal });
    }
  }
}

type SeenLock = 'absent' | { info: LockInfo | undefined; ageMs: number };

async function readLock(file: string): Promise<SeenLock> {
  let text: string;
  let ageMs: number;
  try {
    const stat = await fs.stat(file);
    ageMs = Date.now() - stat.mtimeMs;
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  return { info: parseLock(text), ageMs };
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') return value as LockInfo;
  } catch {
    // Half-written by a process that died between creating and filling it.
  }
  return undefined;
}

function isStale(seen: Exclude<SeenLock, 'absent'>): boolean {
  if (seen.info === undefined) return seen.ageMs > UNREADABLE_GRACE_MS;
  if (seen.info.host !== currentOwner().host) return seen.info.leaseMs !== undefined && seen.ageMs > seen.info.leaseMs;
  return ownerIsDead(seen.info);
}

/** A held lock whose file is touched every quarter lease until it is released (or found taken over). */
function holdLease(key: string, file: string, token: string, leaseMs: number): HeldLock {
  let refreshing: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      refreshing = refreshing.then(async () => {
        const current = parseLock(await fs.readFile(file, 'utf8').catch(() => ''));
        // Broken by another process after a lapse (a frozen machine): nothing of ours to keep alive.
        if (current?.token !== token) return clearInterval(timer);
        const now = new Date();
        await fs.utimes(file, now, now).catch(() => undefined);
      });
    },
    Math.max(10, Math.floor(leaseMs / 4)),
  );
  // Never what keeps the process alive.
  timer.unref();
  return {
    key,
    async release() {
      clearInterval(timer);
      await refreshing;
      await release(file, token);
    },
  };
}

/** Returns true when the stale lock was removed. */
async function breakLock(file: string, stale: LockInfo | undefined): Promise<boolean> {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.broken`;
  try {
    await fs.rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = parseLock(await fs.readFile(aside, 'utf8').catch(() => ''));
  if (moved?.token !== stale?.token) {
    // Between reading the stale lock and moving it, another process broke it and took the key:
    // put its lock back (link fails harmlessly if yet another lock is there now).
    await fs.link(aside, file).catch(() => undefined);
    await fs.rm(aside, { force: true });
    return false;
  }
  await fs.rm(aside, { force: true });
  return true;
}

async function release(file: string, token: string): Promise<void> {
  const current = parseLock(await fs.readFile(file, 'utf8').catch(() => ''));
  if (current?.token === token) await fs.rm(file, { force: true });
}

import * as os from 'os';

/**
 * The process that owns a lock, a temp entry or an active-run marker. Only a process on this host
 * can be checked for life; an owner on another host (a shared cache over NFS) is assumed alive, so
 * its work is waited for rather than broken.
 */
export interface ProcessOwner {
  pid: number;
  host: string;
}

export function currentOwner(): ProcessOwner {
  return { pid: process.pid, host: os.hostname() };
}

/** True only when the owner certainly no longer runs: same host and no such process. */
export function ownerIsDead(owner: ProcessOwner): boolean {
  if (owner.host !== os.hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

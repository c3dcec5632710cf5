import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CacheLayout } from '../../engine/cache/layout';
import { DirCheckpointStore } from '../../engine/cache/checkpoints';
import { KeyLocks } from '../../engine/cache/lock';

const key = 'ab'.repeat(32);
let dir: string;
let layout: CacheLayout;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-lock-'));
  layout = new CacheLayout(dir);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

async function writeLock(content: string, ageMs = 0): Promise<void> {
  await fs.mkdir(layout.locksDir, { recursive: true });
  await fs.writeFile(layout.lockFile(key), content);
  const when = new Date(Date.now() - ageMs);
  await fs.utimes(layout.lockFile(key), when, when);
}

describe('key locks', () => {
  test('one holder at a time; the second learns who holds it; release frees it', async () => {
    const first = await new KeyLocks(layout, 'run-1').tryAcquire(key);
    expect(first.acquired).toBe(true);
    const second = await new KeyLocks(layout, 'run-2').tryAcquire(key);
    expect(second).toEqual({ acquired: false, holder: expect.objectContaining({ pid: process.pid, host: os.hostname(), runId: 'run-1' }) });
    if (first.acquired) await first.lock.release();
    expect((await new KeyLocks(layout, 'run-2').tryAcquire(key)).acquired).toBe(true);
  });

  test('a lock whose process died on this host is stale and is broken', async () => {
    const pid = deadPid();
    await writeLock(JSON.stringify({ pid, host: os.hostname(), startedAt: '2020-01-01T00:00:00Z', token: 'old', runId: 'killed' }));
    const attempt = await new KeyLocks(layout, 'run').tryAcquire(key);
    expect(attempt.acquired && attempt.brokeStale).toEqual(expect.objectContaining({ pid, token: 'old' }));
    expect(await fs.readdir(layout.locksDir)).toEqual([`${key}.lock`]);
  });

  test('a lock held on another host without a lease (an older cardigan) is never broken: its process cannot be checked', async () => {
    await writeLock(JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', startedAt: '2020-01-01T00:00:00Z', token: 't', runId: 'r' }), 3_600_000);
    expect((await new KeyLocks(layout, 'run').tryAcquire(key)).acquired).toBe(false);
  });

  test('a lock held on another host is waited for while its lease is fresh, and broken once it has lapsed', async () => {
    const lock = JSON.stringify({ pid: 4242, host: 'node17.cluster', startedAt: '2020-01-01T00:00:00Z', token: 'remote', runId: 'r', leaseMs: 30_000 });
    await writeLock(lock, 20_000);
    expect(await new KeyLocks(layout, 'run').tryAcquire(key)).toEqual({
      acquired: false,
      holder: expect.objectContaining({ host: 'node17.cluster', token: 'remote' }),
    });
    const controller = new AbortController();
    const waiting = new KeyLocks(layout, 'run').waitForRelease(key, controller.signal, 10);
    await writeLock(lock, 31_000);
    await waiting;
    const attempt = await new KeyLocks(layout, 'run').tryAcquire(key);
    expect(attempt.acquired && attempt.brokeStale).toEqual(expect.objectContaining({ host: 'node17.cluster', token: 'remote' }));
  });

  test('the holder keeps its lease alive: the lock file is touched every quarter lease until released', async () => {
    const attempt = await new KeyLocks(layout, 'run', { leaseMs: 200 }).tryAcquire(key);
    if (!attempt.acquired) throw new Error('not acquired');
    expect(JSON.parse(await fs.readFile(layout.lockFile(key), 'utf8'))).toMatchObject({ leaseMs: 200 });
    const ages: number[] = [];
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      ages.push(Date.now() - (await fs.stat(layout.lockFile(key))).mtimeMs);
    }
    // Held for 900 ms, more than four leases, and never older than about a quarter of one.
    expect(Math.max(...ages)).toBeLessThan(150);
    await attempt.lock.release();
    expect(await fs.readdir(layout.locksDir)).toEqual([]);
  });

  test('an unreadable lock is respected for a grace period, then broken', async () => {
    await writeLock('');
    expect((await new KeyLocks(layout, 'run').tryAcquire(key)).acquired).toBe(false);
    await writeLock('', 60_000);
    expect((await new KeyLocks(layout, 'run').tryAcquire(key)).acquired).toBe(true);
  });

  test('release leaves a lock that is no longer ours alone', async () => {
    const mine = await new KeyLocks(layout, 'run').tryAcquire(key);
    await writeLock(JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '', token: 'someone-else', runId: 'x' }));
    if (mine.acquired) await mine.lock.release();
    expect(JSON.parse(await fs.readFile(layout.lockFile(key), 'utf8'))).toMatchObject({ token: 'someone-else' });
  });

  test('waitForRelease returns once the holder releases, and gives up when aborted', async () => {
    const locks = new KeyLocks(layout, 'run');
    const held = await locks.tryAcquire(key);
    let released = false;
    const waiting = locks.waitForRelease(key, new AbortController().signal, 10).then(() => released);
    await new Promise((resolve) => setTimeout(resolve, 50));
    released = true;
    if (held.acquired) await held.lock.release();
    expect(await waiting).toBe(true);

    await locks.tryAcquire(key);
    const controller = new AbortController();
    const aborted = locks.waitForRelease(key, controller.signal, 10);
    controller.abort(new Error('Ctrl-C'));
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('checkpoints', () => {
  test('each save replaces the latest atomically; older ones are pruned', async () => {
    const store = new DirCheckpointStore(layout.checkpointDir(key));
    expect(await store.latest()).toBeUndefined();
    await store.save((d) => fs.writeFile(path.join(d, 'step.txt'), '1'));
    await store.save((d) => fs.writeFile(path.join(d, 'step.txt'), '2'));
    const latest = await store.latest();
    expect(path.basename(latest as string)).toBe('ckpt-000002');
    expect(await fs.readFile(path.join(latest as string, 'step.txt'), 'utf8')).toBe('2');
    expect(await fs.readdir(layout.checkpointDir(key))).toEqual(['ckpt-000002']);
  });

  test('a save that fails midway leaves the previous checkpoint as the latest, and no temp folder', async () => {
    const store = new DirCheckpointStore(layout.checkpointDir(key));
    await store.save((d) => fs.writeFile(path.join(d, 'step.txt'), '1'));
    await expect(
      store.save(async (d) => {
        await fs.writeFile(path.join(d, 'step.txt'), '2');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await fs.readFile(path.join((await store.latest()) as string, 'step.txt'), 'utf8')).toBe('1');
    expect(await fs.readdir(layout.checkpointDir(key))).toEqual(['ckpt-000001']);
  });
});

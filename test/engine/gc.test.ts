import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { markActive } from '../../engine/cache/active-runs';
import { collectGarbage } from '../../engine/run/gc';
import { listEntries } from '../../engine/cache/inspect';
import { externalFingerprint } from '../../engine/keys/external-fingerprint';
import { SETTLED_MS } from '../../engine/keys/fingerprint-memo';
import { KeyLocks } from '../../engine/cache/lock';
import { AttemptFolder } from '../../engine/run/job-folder';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

/** Runs a two-node experiment with the given value; returns its two keys. */
async function runWith(value: number): Promise<string[]> {
  const result = await rig.run(
    rig.experiment([
      { id: 'x', type: 't-emit', params: { value } },
      { id: 'y', type: 't-join', params: { tag: 'y' }, inputs: { in: ['x.out'] } },
    ]),
  );
  return result.record.nodes.map((node) => node.key as string);
}

async function ageEntry(key: string, days: number): Promise<void> {
  const when = new Date(Date.now() - days * 86_400_000);
  await fs.utimes(rig.cache.layout.recordFile(key), when, when);
}

test('--keep-last N keeps the entries of the N most recent runs and removes the rest', async () => {
  const run1 = await runWith(1);
  const run2 = await runWith(2);
  const run3 = await runWith(3);
  const report = await collectGarbage(rig.cache, { keepLast: 2, dryRun: false });
  expect(report.removed.map((entry) => entry.key).sort()).toEqual([...run1].sort());
  expect(report.removed.map((entry) => entry.nodeId).sort()).toEqual(['x', 'y']);
  expect(report.freedBytes).toBeGreaterThan(0);
  expect(await rig.cache.keys()).toEqual([...run2, ...run3].sort());
  // Run records stay: they are the history of what produced each result.
  expect(await fs.readdir(rig.cache.layout.runsDir)).toHaveLength(3);
});

test('an entry reused by a recent run is kept even if an old run computed it', async () => {
  const run1 = await runWith(1);
  await runWith(2);
  await runWith(1);
  const report = await collectGarbage(rig.cache, { keepLast: 1, dryRun: false });
  expect(await rig.cache.keys()).toEqual([...run1].sort());
  expect(report.removed).toHaveLength(2);
});

test('--older-than removes entries not used within the duration', async () => {
  const old = await runWith(1);
  const recent = await runWith(2);
  for (const key of old) await ageEntry(key, 10);
  const report = await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: false });
  expect(report.removed.map((entry) => entry.key).sort()).toEqual([...old].sort());
  expect(await rig.cache.keys()).toEqual([...recent].sort());
});

test('using an entry refreshes its last-used time, so --older-than keeps it', async () => {
  const keys = await runWith(1);
  for (const key of keys) await ageEntry(key, 10);
  await runWith(1);
  const entries = await listEntries(rig.cache);
  expect(entries.every((entry) => Date.now() - Date.parse(entry.lastUsed) < 60_000)).toBe(true);
  const report = await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: false });
  expect(report.removed).toEqual([]);
});

test('with both rules an entry goes only when neither keeps it', async () => {
  const run1 = await runWith(1);
  const run2 = await runWith(2);
  await ageEntry(run1[0], 10);
  await ageEntry(run2[0], 10);
  const report = await collectGarbage(rig.cache, { keepLast: 1, olderThanMs: 7 * 86_400_000, dryRun: false });
  // run1[0]: old and not in the last run → removed. run1[1]: not in the last run but recent → kept. run2: last run → kept.
  expect(report.removed.map((entry) => entry.key)).toEqual([run1[0]]);
});

test('--dry-run reports the same removals and removes nothing', async () => {
  await runWith(1);
  await runWith(2);
  const before = await rig.cache.keys();
  const dry = await collectGarbage(rig.cache, { keepLast: 1, dryRun: true });
  expect(dry.dryRun).toBe(true);
  expect(await rig.cache.keys()).toEqual(before);
  const real = await collectGarbage(rig.cache, { keepLast: 1, dryRun: false });
  expect(real.removed).toEqual(dry.removed);
});

test('never removes an entry locked by a live process, nor one used by a run in progress', async () => {
  const old = await runWith(1);
  await runWith(2);
  for (const key of old) await ageEntry(key, 10);
  // A live process (this one) holds the lock of old[0], as while force-recomputing it.
  const lock = await new KeyLocks(rig.cache.layout, 'other-run').tryAcquire(old[0]);
  expect(lock.acquired).toBe(true);
  const report = await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: false });
  expect(report.protected).toEqual([{ key: old[0], reason: `locked by pid ${process.pid} on ${os.hostname()}` }]);
  expect(report.removed.map((entry) => entry.key)).toEqual([old[1]]);
  if (lock.acquired) await lock.lock.release();

  // A run that started before old[0] was last used may still read it.
  const unmark = await markActive(rig.cache.layout, 'in-progress', new Date(Date.now() - 20 * 86_400_000));
  const again = await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: false });
  expect(again.protected).toEqual([{ key: old[0], reason: 'used by a run still in progress' }]);
  await unmark();
  const finally_ = await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: false });
  expect(finally_.removed.map((entry) => entry.key)).toEqual([old[0]]);
});

test('quarantined entries are removed by gc', async () => {
  const [key] = await runWith(1);
  await rig.cache.quarantine(key, ['test']);
  expect(await fs.readdir(rig.cache.layout.quarantineDir)).toHaveLength(1);
  const report = await collectGarbage(rig.cache, { keepLast: 5, dryRun: false });
  expect(report.quarantine).toHaveLength(1);
  expect(await fs.readdir(rig.cache.layout.quarantineDir)).toEqual([]);
  expect(path.basename(report.quarantine[0]).startsWith(key)).toBe(true);
});

test('job folders: a finished worker’s is removed; a fresh one without a result (a job still queued) is kept, an abandoned one is not', async () => {
  const failed = await rig.run(rig.experiment([{ id: 'bad', type: 't-fail', params: {} }]), { executor: rig.pool() });
  const failedKey = failed.record.nodes[0].key as string;
  const [finished] = await AttemptFolder.list(rig.cache.layout, failedKey);
  const queuedKey = 'cd'.repeat(32);
  const queued = await AttemptFolder.create(rig.cache.layout, queuedKey);
  const abandoned = await AttemptFolder.create(rig.cache.layout, queuedKey);
  const old = new Date(Date.now() - 40 * 86_400_000);
  await fs.utimes(abandoned.dir, old, old);

  const dry = await collectGarbage(rig.cache, { dryRun: true });
  expect(dry.jobs.sort()).toEqual([`${failedKey}/${finished.name}`, `${queuedKey}/${abandoned.name}`].sort());
  expect(await AttemptFolder.list(rig.cache.layout, failedKey)).toHaveLength(1);
  await collectGarbage(rig.cache, { dryRun: false });
  expect(await fs.readdir(rig.cache.layout.jobsDir)).toEqual([queuedKey]);
  expect((await AttemptFolder.list(rig.cache.layout, queuedKey)).map((attempt) => attempt.name)).toEqual([queued.name]);
});

describe('fingerprint memos (cache/fingerprints/)', () => {
  // Files younger than SETTLED_MS are never remembered, so the data folders are made once and left to settle.
  let dataRoot: string;
  beforeAll(async () => {
    dataRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-memo-data-'));
    for (const name of ['kept', 'gone', 'old', 'reused', 'idle']) {
      await fs.mkdir(path.join(dataRoot, name));
      await fs.writeFile(path.join(dataRoot, name, 'a.txt'), name);
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 50));
  });
  afterAll(async () => {
    await fs.rm(dataRoot, { recursive: true, force: true });
  });

  /** Fingerprints a data folder through the cache's memo folder, as plan does; returns the folder and its memo file. */
  async function fingerprinted(name: string): Promise<{ data: string; memo: string }> {
    const data = path.join(dataRoot, name);
    const before = new Set(await fs.readdir(rig.cache.layout.fingerprintsDir).catch(() => []));
    await externalFingerprint(data, rig.cache.layout.fingerprintsDir);
    const [memo] = (await fs.readdir(rig.cache.layout.fingerprintsDir)).filter((memoName) => !before.has(memoName));
    return { data, memo: path.join(rig.cache.layout.fingerprintsDir, memo) };
  }

  async function age(file: string, days: number): Promise<void> {
    const when = new Date(Date.now() - days * 86_400_000);
    await fs.utimes(file, when, when);
  }

  test('gc removes memos whose data is gone, unreadable ones, and ones unused for --older-than; keeps the rest', async () => {
    const kept = await fingerprinted('kept');
    const gone = await fingerprinted('gone');
    const old = await fingerprinted('old');
    await fs.rm(gone.data, { recursive: true });
    await age(old.memo, 10);
    await fs.writeFile(path.join(rig.cache.layout.fingerprintsDir, 'torn.json'), '{"format": "cardigan-fing');

    const dry = await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: true });
    expect(dry.fingerprints.map((memo) => [path.basename(memo.file), memo.reason]).sort()).toEqual(
      [
        [path.basename(gone.memo), `its data is gone (${gone.data})`],
        [path.basename(old.memo), 'not used for 10 days'],
        ['torn.json', 'not a fingerprint memo (unreadable or another format)'],
      ].sort(),
    );
    expect(await fs.readdir(rig.cache.layout.fingerprintsDir)).toHaveLength(4);

    await collectGarbage(rig.cache, { olderThanMs: 7 * 86_400_000, dryRun: false });
    expect(await fs.readdir(rig.cache.layout.fingerprintsDir)).toEqual([path.basename(kept.memo)]);
  });

  test('fingerprinting again marks a memo used, so gc keeps it; without --older-than, memos unused for 30 days go', async () => {
    const reused = await fingerprinted('reused');
    const idle = await fingerprinted('idle');
    await age(reused.memo, 40);
    await age(idle.memo, 40);
    // A plan that reads the memo and learns nothing new still marks it used.
    await externalFingerprint(reused.data, rig.cache.layout.fingerprintsDir);
    const report = await collectGarbage(rig.cache, { keepLast: 1, dryRun: false });
    expect(report.fingerprints.map((memo) => [memo.root, memo.reason])).toEqual([[idle.data, 'not used for 40 days']]);
    expect(await fs.readdir(rig.cache.layout.fingerprintsDir)).toEqual([path.basename(reused.memo)]);
  });
});

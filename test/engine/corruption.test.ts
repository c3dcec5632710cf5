import { promises as fs } from 'fs';
import * as path from 'path';
import { verifyCache } from '../../engine/cache/inspect';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

/** A cache entry whose files no longer match its record is a miss: reported, moved aside, recomputed, never used. */

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function pair(log: string): Parameters<EngineRig['experiment']>[0] {
  return [
    { id: 'src', type: 't-emit', params: { value: 'hello', log } },
    { id: 'use', type: 't-join', params: { tag: 'u', log }, inputs: { in: ['src.out'] } },
  ];
}

async function srcFile(key: string): Promise<string> {
  return path.join(rig.cache.layout.outputDir(key, 'out'), 'value.txt');
}

async function firstRun(): Promise<string> {
  const first = await rig.run(rig.experiment(pair(rig.log)));
  const key = first.record.nodes[0].key;
  if (key === null) throw new Error('no key');
  return key;
}

test.each([
  [
    'altered content (same size)',
    async (file: string) => {
      await fs.writeFile(file, 'HELLO');
      // As any later write would: a different mtime (set explicitly so that a fast machine cannot land in the same millisecond).
      await fs.utimes(file, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    },
    /outputs\/out\/value\.txt: altered \(content hash differs\)/,
  ],
  ['altered size', async (file: string) => fs.appendFile(file, '!'), /outputs\/out\/value\.txt: altered \(size 5 → 6 bytes\)/],
  ['deleted file', async (file: string) => fs.rm(file), /outputs\/out\/value\.txt: missing/],
  ['extra file', async (file: string) => fs.writeFile(path.join(path.dirname(file), 'stray.txt'), 'x'), /outputs\/out\/stray\.txt: not part of the entry/],
])('%s: detected, reported, moved aside, recomputed', async (_name, damage, message) => {
  const key = await firstRun();
  await damage(await srcFile(key));

  const second = await rig.run(rig.experiment(pair(rig.log)));
  expect(second.exitCode).toBe(0);
  expect(second.started).toEqual(['src']);
  const invalid = second.events.find((event) => event.type === 'entry-invalid');
  if (invalid?.type !== 'entry-invalid') throw new Error('no entry-invalid event');
  expect(invalid.node).toBe('src');
  expect(invalid.key).toBe(key);
  expect(invalid.problems.join('\n')).toMatch(message);
  // The damaged entry is kept aside for inspection, never used.
  expect(invalid.movedTo).not.toBeNull();
  expect(await fs.readFile(path.join(invalid.movedTo as string, 'QUARANTINED.txt'), 'utf8')).toMatch(message);
  // Recomputed under the same key with the right content; the downstream node is a hit (same output hash).
  expect(await fs.readFile(await srcFile(key), 'utf8')).toBe('hello');
  expect(second.nodes.get('use')?.status).toBe('cached');
  const recorded = second.record.nodes.find((node) => node.id === 'src');
  expect(recorded?.damagedEntry?.problems.join('\n')).toMatch(message);
  expect(recorded?.status).toBe('done');
});

test('the run check trusts unchanged size and mtime; `cache verify` rehashes and catches bit rot that kept both', async () => {
  const key = await firstRun();
  const file = await srcFile(key);
  const before = await fs.stat(file);
  await fs.writeFile(file, 'jello');
  await fs.utimes(file, before.atimeMs / 1000, before.mtimeMs / 1000);

  // The fast check (size + mtime) cannot see this one: documented, and why `cache verify` exists.
  expect((await rig.cache.lookup(key, 'stat')).state).toBe('hit');
  expect((await rig.cache.lookup(key, 'rehash')).state).toBe('invalid');

  const report = await verifyCache(rig.cache);
  expect(report.checked).toBe(2);
  expect(report.bad.map((bad) => bad.key)).toEqual([key]);
  expect(report.bad[0].problems).toEqual(['outputs/out/value.txt: altered (content hash differs)']);
  expect(await rig.cache.keys()).not.toContain(key);

  const again = await rig.run(rig.experiment(pair(rig.log)));
  expect(again.started).toEqual(['src']);
  expect((await verifyCache(rig.cache)).bad).toEqual([]);
});

test('a touched but identical file is still a hit (rehash on stat mismatch)', async () => {
  const key = await firstRun();
  const file = await srcFile(key);
  const later = new Date(Date.now() + 60_000);
  await fs.utimes(file, later, later);
  const again = await rig.run(rig.experiment(pair(rig.log)));
  expect(again.started).toEqual([]);
  expect((await rig.cache.lookup(key)).state).toBe('hit');
});

test('a record that lies about its paths cannot make a read escape the entry', async () => {
  const key = await firstRun();
  const recordFile = rig.cache.layout.recordFile(key);
  const record = JSON.parse(await fs.readFile(recordFile, 'utf8')) as { outputs: { out: { files: Record<string, unknown> } } };
  record.outputs.out.files['../../../../../etc/passwd'] = { sha256: '0'.repeat(64), size: 1, mtimeMs: 0 };
  await fs.writeFile(recordFile, JSON.stringify(record));
  const found = await rig.cache.lookup(key);
  expect(found.state === 'invalid' && found.problems).toContain('outputs/out/"../../../../../etc/passwd": path escapes the entry');
});

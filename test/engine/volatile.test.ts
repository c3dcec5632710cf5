import { promises as fs } from 'fs';
import * as path from 'path';
import { hashArtifact } from '../../engine/keys/artifact-hash';
import { verifyCache } from '../../engine/cache/inspect';
import type { NodeSketch } from '../rig/resolved-experiment';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

/**
 * A port's `volatile/` folder (timings and the like) is stored and verified like any other file but
 * stays out of the port's content hash, so a rerun that differs only there cuts off at that node.
 */

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

const graph = (log: string, value: string, note: string): NodeSketch[] => [
  { id: 'p', type: 't-volatile', params: { value, note, log } },
  { id: 'q', type: 't-join', params: { tag: 'q', log }, inputs: { in: ['p.out'] } },
];

function keyOf(result: Awaited<ReturnType<EngineRig['run']>>, id: string): string {
  const key = result.record.nodes.find((node) => node.id === id)?.key;
  if (typeof key !== 'string') throw new Error(`${id} has no key`);
  return key;
}

test('a rerun whose outputs differ only under volatile/ keeps its hash, and its consumer is reused (early cutoff)', async () => {
  const first = await rig.run(rig.experiment(graph(rig.log, 'v', 'took 1.0 s')));
  expect(first.started).toEqual(['p', 'q']);

  const second = await rig.run(rig.experiment(graph(rig.log, 'v', 'took 2.5 s')));
  expect(second.started).toEqual(['p']);
  expect(second.nodes.get('q')?.status).toBe('cached');
  expect(keyOf(second, 'p')).not.toBe(keyOf(first, 'p'));
  expect(second.record.nodes.find((node) => node.id === 'p')?.outputs).toEqual(first.record.nodes.find((node) => node.id === 'p')?.outputs);
  // The volatile file is part of the entry all the same: stored, and listed with its own hash.
  const outDir = rig.cache.layout.outputDir(keyOf(second, 'p'), 'out');
  expect(await fs.readFile(path.join(outDir, 'volatile', 'note.txt'), 'utf8')).toBe('took 2.5 s');
  const found = await rig.cache.lookup(keyOf(second, 'p'));
  expect(found.state === 'hit' && Object.keys(found.record.outputs.out.files)).toEqual(['value.txt', 'volatile/note.txt']);

  // A change outside volatile/ changes the hash, and the consumer reruns.
  const third = await rig.run(rig.experiment(graph(rig.log, 'w', 'took 2.5 s')));
  expect(third.started).toEqual(['p', 'q']);
});

test('only the top-level volatile/ folder is left out: a nested volatile/ or a file named volatile counts', async () => {
  const dir = path.join(rig.dir, 'artifact');
  await fs.mkdir(path.join(dir, 'volatile'), { recursive: true });
  await fs.mkdir(path.join(dir, 'sub', 'volatile'), { recursive: true });
  await fs.writeFile(path.join(dir, 'a.txt'), 'a');
  const base = (await hashArtifact(dir)).hash;
  await fs.writeFile(path.join(dir, 'volatile', 'timings.jsonl'), '{"seconds":1}\n');
  expect((await hashArtifact(dir)).hash).toBe(base);
  await fs.writeFile(path.join(dir, 'sub', 'volatile', 'x.txt'), 'x');
  const nested = (await hashArtifact(dir)).hash;
  expect(nested).not.toBe(base);
  await fs.writeFile(path.join(dir, 'volatilex.txt'), 'y');
  expect((await hashArtifact(dir)).hash).not.toBe(nested);
});

test.each([
  ['altered', async (file: string) => fs.writeFile(file, 'took 9.9 s'), /outputs\/out\/volatile\/note\.txt: altered/],
  ['deleted', async (file: string) => fs.rm(file), /outputs\/out\/volatile\/note\.txt: missing/],
  [
    'joined by a stray file',
    async (file: string) => fs.writeFile(path.join(path.dirname(file), 'stray.txt'), 's'),
    /outputs\/out\/volatile\/stray\.txt: not part of the entry/,
  ],
])('a volatile file %s is damage, caught on read and by cache verify', async (_name, damage, message) => {
  const first = await rig.run(rig.experiment(graph(rig.log, 'v', 'took 1.0 s')));
  const key = keyOf(first, 'p');
  const note = path.join(rig.cache.layout.outputDir(key, 'out'), 'volatile', 'note.txt');
  const before = await fs.stat(note);
  await damage(note);
  // Keep size and mtime where the file survives, so that only a rehash can tell.
  await fs.utimes(note, before.atime, before.mtime).catch(() => undefined);

  const read = await rig.cache.lookup(key, 'rehash');
  expect(read.state === 'invalid' && read.problems.join('\n')).toMatch(message);
  const report = await verifyCache(rig.cache);
  expect(report.bad.map((bad) => bad.key)).toEqual([key]);
  expect(report.bad[0].problems.join('\n')).toMatch(message);
});

test('a damaged volatile file is found by a run too, which recomputes the entry', async () => {
  const first = await rig.run(rig.experiment(graph(rig.log, 'v', 'took 1.0 s')));
  const note = path.join(rig.cache.layout.outputDir(keyOf(first, 'p'), 'out'), 'volatile', 'note.txt');
  await fs.appendFile(note, '!');
  const second = await rig.run(rig.experiment(graph(rig.log, 'v', 'took 1.0 s')));
  const invalid = second.events.find((event) => event.type === 'entry-invalid');
  expect(invalid?.type === 'entry-invalid' && invalid.problems).toEqual(['outputs/out/volatile/note.txt: altered (size 10 → 11 bytes)']);
  expect(second.started).toEqual(['p']);
  expect(second.nodes.get('q')?.status).toBe('cached');
});

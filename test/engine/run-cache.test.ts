import { promises as fs } from 'fs';
import * as path from 'path';
import type { NodeOutcome } from '../../engine/run/outcome';
import { readCalls } from '../rig/runtime-nodes';
import type { NodeSketch } from '../rig/resolved-experiment';
import { type EngineRig, makeEngineRig, wideGraph } from '../rig/engine-rig';

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function statuses(nodes: Map<string, NodeOutcome>): Record<string, string> {
  return Object.fromEntries([...nodes].map(([id, outcome]) => [id, outcome.status]));
}

async function outputValue(result: { nodes: Map<string, NodeOutcome> }, id: string): Promise<string> {
  const outcome = result.nodes.get(id);
  if (outcome?.status !== 'done' && outcome?.status !== 'cached') throw new Error(`${id} has no output (${outcome?.status})`);
  return fs.readFile(path.join(rig.cache.layout.outputDir(outcome.key.hash, 'out'), 'value.txt'), 'utf8');
}

describe('running twice', () => {
  test('the second run of a 20-node graph computes nothing and reports every node cached', async () => {
    const experiment = rig.experiment(wideGraph(rig.log, 20));
    const first = await rig.run(experiment);
    expect(first.exitCode).toBe(0);
    expect(first.started).toHaveLength(20);
    expect(await outputValue(first, 'n8')).toBe('v0+v1>t4+v1+v2>t5>t8');

    const began = Date.now();
    const second = await rig.run(experiment);
    const seconds = (Date.now() - began) / 1000;
    expect(second.started).toEqual([]);
    expect(Object.values(statuses(second.nodes))).toEqual(Array(20).fill('cached'));
    expect(second.events.filter((event) => event.type === 'node-cached')).toHaveLength(20);
    // No node ran, so no backend was started.
    expect(second.events.some((event) => event.type === 'backend')).toBe(false);
    expect(second.record.backend).toBeNull();
    // Loose on purpose (shared CI cores); the benchmark measures it properly.
    expect(seconds).toBeLessThan(1);
  });

  test('keys do not depend on the order params were written in, and cosmetic params stay out', async () => {
    const a = await rig.run(rig.experiment([{ id: 'x', type: 't-join', params: { tag: 't', sleepMs: 1, log: rig.log } }]));
    const b = await rig.run(rig.experiment([{ id: 'x', type: 't-join', params: { label: 'renamed', sleepMs: 1, tag: 't', log: rig.log } }]));
    expect(b.started).toEqual([]);
    expect(b.record.nodes[0].key).toBe(a.record.nodes[0].key);
  });
});

test('two nodes with the same key in one run compute it once (the second waits on the lock, then reuses it)', async () => {
  const result = await rig.run(
    rig.experiment([
      { id: 'twin1', type: 't-emit', params: { value: 'same', sleepMs: 50, log: rig.log }, seed: 9 },
      { id: 'twin2', type: 't-emit', params: { value: 'same', sleepMs: 50, log: rig.log, label: 'cosmetic only' }, seed: 9 },
    ]),
  );
  expect(result.started).toHaveLength(1);
  expect(Object.values(statuses(result.nodes)).sort()).toEqual(['cached', 'done']);
  expect(result.record.nodes[0].key).toBe(result.record.nodes[1].key);
  expect(result.events.some((event) => event.type === 'node-waiting')).toBe(true);
});

describe('changing a param', () => {
  const graph = (log: string, tagB: string): NodeSketch[] => [
    { id: 'a', type: 't-emit', params: { value: 'a', log } },
    { id: 'b', type: 't-join', params: { tag: tagB, log }, inputs: { in: ['a.out'] } },
    { id: 'c', type: 't-join', params: { tag: 'c', log }, inputs: { in: ['b.out'] } },
    { id: 'd', type: 't-join', params: { tag: 'd', log }, inputs: { in: ['a.out'] } },
    { id: 'e', type: 't-join', params: { tag: 'e', log }, inputs: { in: ['c.out', 'd.out'] } },
  ];

  test('reruns exactly that node and its descendants', async () => {
    await rig.run(rig.experiment(graph(rig.log, 'b1')));
    const second = await rig.run(rig.experiment(graph(rig.log, 'b2')));
    expect(second.started.sort()).toEqual(['b', 'c', 'e']);
    expect(statuses(second.nodes)).toEqual({ a: 'cached', b: 'done', c: 'done', d: 'cached', e: 'done' });
    expect(await outputValue(second, 'e')).toBe('a>b2>c+a>d>e');
  });

  test('a change that reproduces identical output stops at that node (early cutoff)', async () => {
    const log = rig.log;
    const graphWith = (n: number): NodeSketch[] => [
      { id: 'p', type: 't-parity', params: { n, log } },
      { id: 'q', type: 't-join', params: { tag: 'q', log }, inputs: { in: ['p.out'] } },
      { id: 'r', type: 't-join', params: { tag: 'r', log }, inputs: { in: ['q.out'] } },
    ];
    const first = await rig.run(rig.experiment(graphWith(2)));
    const second = await rig.run(rig.experiment(graphWith(4)));
    expect(second.started).toEqual(['p']);
    expect(statuses(second.nodes)).toEqual({ p: 'done', q: 'cached', r: 'cached' });
    const keyOf = (result: typeof first, id: string): string | null | undefined => result.record.nodes.find((node) => node.id === id)?.key;
    expect(keyOf(second, 'p')).not.toBe(keyOf(first, 'p'));
    expect(keyOf(second, 'q')).toBe(keyOf(first, 'q'));

    // An odd n changes the output, and then the descendants do rerun.
    const third = await rig.run(rig.experiment(graphWith(5)));
    expect(third.started).toEqual(['p', 'q', 'r']);
  });
});

describe('failures', () => {
  test('a failed node blocks its descendants and not its siblings; exit code 1', async () => {
    const log = rig.log;
    const result = await rig.run(
      rig.experiment([
        { id: 'root', type: 't-emit', params: { value: 'r', log } },
        { id: 'bad', type: 't-fail', params: { message: 'deliberate failure', log }, inputs: { in: ['root.out'] } },
        { id: 'sibling', type: 't-join', params: { tag: 's', sleepMs: 30, log }, inputs: { in: ['root.out'] } },
        { id: 'child', type: 't-join', params: { tag: 'c', log }, inputs: { in: ['bad.out'] } },
        { id: 'grandchild', type: 't-join', params: { tag: 'g', log }, inputs: { in: ['child.out', 'sibling.out'] } },
        { id: 'after-sibling', type: 't-join', params: { tag: 'x', log }, inputs: { in: ['sibling.out'] } },
      ]),
    );
    expect(result.exitCode).toBe(1);
    expect(result.outcome).toBe('failed');
    expect(statuses(result.nodes)).toEqual({ root: 'done', bad: 'failed', sibling: 'done', child: 'blocked', grandchild: 'blocked', 'after-sibling': 'done' });
    const grandchild = result.nodes.get('grandchild');
    expect(grandchild?.status === 'blocked' && grandchild.by).toEqual(['bad']);
    expect(result.record.nodes.find((node) => node.id === 'bad')?.error).toBe('deliberate failure');
    const end = result.events.find((event) => event.type === 'run-end');
    expect(end?.type === 'run-end' && end.nodes.find((node) => node.node === 'child')?.detail).toBe('needs bad');
    // Nothing of the failed node reached the cache, and its temp entry is gone.
    expect(await fs.readdir(rig.cache.layout.tmpDir)).toEqual([]);
    expect(await rig.cache.keys()).toHaveLength(3);
  });
});

test('a node that returns without writing a declared output fails, naming the port, and nothing is cached', async () => {
  const result = await rig.run(rig.experiment([{ id: 'quiet', type: 't-quiet', params: {} }]));
  expect(result.exitCode).toBe(1);
  expect(result.record.nodes[0].error).toBe('finished without writing output "out" (call ctx.outputDir(port) and write into it)');
  expect(await rig.cache.keys()).toEqual([]);
});

describe('parallelism', () => {
  test('independent cpu nodes overlap within --jobs, gpu nodes never overlap each other', async () => {
    const log = rig.log;
    const result = await rig.run(
      rig.experiment([
        { id: 'c1', type: 't-emit', params: { value: 1, sleepMs: 300, log } },
        { id: 'c2', type: 't-emit', params: { value: 2, sleepMs: 300, log } },
        { id: 'g1', type: 't-gpu', params: { value: 'g1', sleepMs: 100, log } },
        { id: 'g2', type: 't-gpu', params: { value: 'g2', sleepMs: 100, log } },
      ]),
      { jobs: 2 },
    );
    expect(result.exitCode).toBe(0);
    const calls = readCalls(rig.log);
    const span = (id: string): [number, number] => [
      calls.find((c) => c.node === id && c.event === 'start')?.t ?? NaN,
      calls.find((c) => c.node === id && c.event === 'end')?.t ?? NaN,
    ];
    const overlap = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
    expect(overlap(span('c1'), span('c2'))).toBe(true);
    expect(overlap(span('g1'), span('g2'))).toBe(false);
  });

  test('--jobs 1 runs cpu nodes one at a time', async () => {
    const log = rig.log;
    await rig.run(
      rig.experiment([
        { id: 'c1', type: 't-emit', params: { value: 1, sleepMs: 60, log } },
        { id: 'c2', type: 't-emit', params: { value: 2, sleepMs: 60, log } },
      ]),
      { jobs: 1 },
    );
    const calls = readCalls(rig.log);
    const [start1, end1, start2, end2] = ['c1', 'c2'].flatMap((id) =>
      ['start', 'end'].map((event) => calls.find((c) => c.node === id && c.event === event)?.t ?? NaN),
    );
    expect(end1 <= start2 || end2 <= start1).toBe(true);
  });
});

import { UsageError, UserError } from '../../engine/errors';
import type { NodeSketch } from '../rig/resolved-experiment';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

/**
 *        a ── b ── c
 *         \
 *          m[k=1], m[k=2]  (matrix group m) ── z
 */
function graph(log: string, tagB = 'b'): NodeSketch[] {
  return [
    { id: 'a', type: 't-emit', params: { value: 'a', log } },
    { id: 'b', type: 't-join', params: { tag: tagB, log }, inputs: { in: ['a.out'] } },
    { id: 'c', type: 't-join', params: { tag: 'c', log }, inputs: { in: ['b.out'] } },
    { id: 'm[k=1]', group: 'm', type: 't-join', params: { tag: 'm1', log }, inputs: { in: ['a.out'] } },
    { id: 'm[k=2]', group: 'm', type: 't-join', params: { tag: 'm2', log }, inputs: { in: ['a.out'] } },
    { id: 'z', type: 't-join', params: { tag: 'z', log }, inputs: { in: ['m[k=1].out', 'm[k=2].out'] } },
  ];
}

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

test('--until runs a node and its ancestors only', async () => {
  const result = await rig.run(rig.experiment(graph(rig.log)), { selection: { until: ['b'] } });
  expect(result.started).toEqual(['a', 'b']);
  expect(result.nodes.get('c')?.status).toBe('skipped');
  expect(result.record.nodes.filter((node) => node.status === 'skipped').map((node) => node.id)).toEqual(['c', 'm[k=1]', 'm[k=2]', 'z']);
});

test('--from runs a node and its descendants, reading the rest from the cache', async () => {
  await rig.run(rig.experiment(graph(rig.log)));
  const result = await rig.run(rig.experiment(graph(rig.log, 'b2')), { selection: { from: ['b'] } });
  expect(result.started).toEqual(['b', 'c']);
  expect(result.nodes.get('a')?.status).toBe('cached');
  expect(result.nodes.get('z')?.status).toBe('skipped');
});

test('--from on a matrix group selects every member and what follows them', async () => {
  await rig.run(rig.experiment(graph(rig.log)), { selection: { until: ['a'] } });
  const result = await rig.run(rig.experiment(graph(rig.log)), { selection: { from: ['m'] } });
  expect(result.started.sort()).toEqual(['m[k=1]', 'm[k=2]', 'z']);
});

test('--from X --until Y runs the nodes between them', async () => {
  await rig.run(rig.experiment(graph(rig.log)), { selection: { until: ['a'] } });
  const result = await rig.run(rig.experiment(graph(rig.log)), { selection: { from: ['b'], until: ['c'] } });
  expect(result.started).toEqual(['b', 'c']);
});

test('--only runs just that node when its inputs are cached', async () => {
  await rig.run(rig.experiment(graph(rig.log)), { selection: { until: ['b'] } });
  const result = await rig.run(rig.experiment(graph(rig.log)), { selection: { only: ['c'] } });
  expect(result.started).toEqual(['c']);
  expect(result.nodes.get('b')?.status).toBe('cached');
  expect(result.nodes.get('a')?.status).toBe('cached');
  expect(result.nodes.get('m[k=1]')?.status).toBe('skipped');
});

test('--only refuses to start when an input is not cached, naming it and how to get it', async () => {
  await rig.run(rig.experiment(graph(rig.log)), { selection: { until: ['a'] } });
  const attempt = rig.run(rig.experiment(graph(rig.log)), { selection: { only: ['c'] } });
  await expect(attempt).rejects.toThrow(UserError);
  await expect(attempt).rejects.toThrow(
    `the selected nodes read from "b", which is not cached.\nRun them first (e.g. cardigan run ${rig.file} --until b), or widen the selection.`,
  );
  expect(rig.started()).toEqual([]);
});

test('--force recomputes a cached node; identical output leaves its descendants cached', async () => {
  await rig.run(rig.experiment(graph(rig.log)));
  const result = await rig.run(rig.experiment(graph(rig.log)), { selection: { force: ['b'] } });
  expect(result.started).toEqual(['b']);
  expect(result.nodes.get('b')?.status).toBe('done');
  expect(result.nodes.get('c')?.status).toBe('cached');
  expect(result.nodes.get('a')?.status).toBe('cached');
  expect((await rig.cache.keys()).length).toBe(6);
});

test('--force on a group recomputes every member', async () => {
  await rig.run(rig.experiment(graph(rig.log)));
  const result = await rig.run(rig.experiment(graph(rig.log)), { selection: { force: ['m'] } });
  expect(result.started.sort()).toEqual(['m[k=1]', 'm[k=2]']);
});

test.each([
  [{ only: ['bb'] }, '--only bb: no node or matrix group "bb" in EXP — did you mean "b"?'],
  [{ from: ['m[k=3]'] }, '--from m[k=3]: no node or matrix group "m[k=3]" in EXP — did you mean "m[k=1]"?'],
  [{ only: ['a'], from: ['b'] }, '--only cannot be combined with --from or --until (use --from X --until Y for a range)'],
  [{ until: ['b'], force: ['c'] }, '--force c: not among the selected nodes'],
  [{ from: ['c'], until: ['a'] }, '--from c and --until a select no node: nothing lies between them'],
])('bad selection %j is a usage error', async (selection, message) => {
  const attempt = rig.run(rig.experiment(graph(rig.log)), { selection });
  await expect(attempt).rejects.toThrow(UsageError);
  await expect(attempt).rejects.toThrow(message.replace('EXP', rig.file));
});

import { readIndex } from '../../engine/cache/last-keys';
import { collectGarbage } from '../../engine/run/gc';
import { promises as fs } from 'fs';
import * as path from 'path';
import { NodeRegistry } from '../../engine/registry';
import { planExperiment } from '../../engine/run/planner';
import { planRows, renderPlan } from '../../engine/cli/plan-view';
import type { ResolvedExperiment } from '../../engine/experiment/resolved';
import { emitNode, joinNode, parityNode, runtimeRegistry } from '../rig/runtime-nodes';
import type { NodeSketch } from '../rig/resolved-experiment';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

interface Variant {
  value?: number;
  tag?: string;
  n?: number;
  seed?: number;
  leafTag?: string;
}

function sketch(log: string, variant: Variant = {}): NodeSketch[] {
  return [
    { id: 'src', type: 't-emit', params: { value: variant.value ?? 1, log } },
    { id: 'mid', type: 't-join', params: { tag: variant.tag ?? 'm', log }, inputs: { in: ['src.out'] }, seed: variant.seed ?? 5 },
    { id: 'leaf', type: 't-join', params: { tag: variant.leafTag ?? 'l', log }, inputs: { in: ['mid.out'] } },
    { id: 'odd', type: 't-parity', params: { n: variant.n ?? 2, log } },
  ];
}

async function plan(experiment: ResolvedExperiment, registry: NodeRegistry = runtimeRegistry()): Promise<string> {
  const states = await planExperiment(experiment, registry, rig.cache);
  const text = renderPlan(experiment, planRows(experiment, states, await readIndex(rig.cache.layout, experiment.file)), true);
  return text.replace(/\b[0-9a-f]{10}\b/g, 'KEY').replace(/\b[0-9a-f]{8}\b/g, 'HASH');
}

test('a fresh cache: roots are stale, their descendants blocked', async () => {
  expect(await plan(rig.experiment(sketch(rig.log)))).toBe(
    [
      'plan: test (4 nodes): 0 cached, 2 stale, 2 blocked',
      '  stale    KEY  src',
      '      never cached in this cache for this experiment file',
      '  blocked  ·           mid',
      '      waits for src, whose new outputs decide its key',
      '  blocked  ·           leaf',
      '      waits for src, whose new outputs decide its key',
      '  stale    KEY  odd',
      '      never cached in this cache for this experiment file',
    ].join('\n'),
  );
});

test('after a run everything is cached, and plan computes nothing', async () => {
  await rig.run(rig.experiment(sketch(rig.log)));
  const before = rig.started().length;
  expect(await plan(rig.experiment(sketch(rig.log)))).toBe(
    ['plan: test (4 nodes): 4 cached, 0 stale, 0 blocked', '  cached   KEY  src', '  cached   KEY  mid', '  cached   KEY  leaf', '  cached   KEY  odd'].join(
      '\n',
    ),
  );
  expect(rig.started().length).toBe(before);
});

test('--explain names the changed params, seed, and the stale upstream a blocked node waits for', async () => {
  await rig.run(rig.experiment(sketch(rig.log)));
  expect(await plan(rig.experiment(sketch(rig.log, { tag: 'm2', seed: 6, n: 3, leafTag: 'l2' })))).toBe(
    [
      'plan: test (4 nodes): 1 cached, 2 stale, 1 blocked',
      '  cached   KEY  src',
      '  stale    KEY  mid',
      '      params: tag "m" → "m2"',
      '      seed 5 → 6',
      '  blocked  ·           leaf',
      '      waits for mid, whose new outputs decide its key',
      '      and: params: tag "l" → "l2"',
      '  stale    KEY  odd',
      '      params: n 2 → 3',
    ].join('\n'),
  );
});

test('--explain names a changed input by port and reference, and a new node version', async () => {
  await rig.run(rig.experiment(sketch(rig.log)));
  await rig.run(rig.experiment(sketch(rig.log, { value: 2 })), { selection: { until: ['src'] } });
  const bumped = new NodeRegistry();
  bumped.register({ ...emitNode });
  bumped.register({ ...joinNode });
  bumped.register({ ...parityNode, version: 2 });
  expect(await plan(rig.experiment(sketch(rig.log, { value: 2 })), bumped)).toBe(
    [
      'plan: test (4 nodes): 1 cached, 2 stale, 1 blocked',
      '  cached   KEY  src',
      '  stale    KEY  mid',
      '      input in (src.out): content HASH → HASH',
      '  blocked  ·           leaf',
      '      waits for mid, whose new outputs decide its key',
      '  stale    KEY  odd',
      '      node version 1 → 2',
    ].join('\n'),
  );
});

test('--explain tells a removed entry and a damaged one apart from a changed key', async () => {
  const first = await rig.run(rig.experiment(sketch(rig.log)));
  const [src, , , odd] = first.record.nodes.map((node) => node.key as string);
  // The run that used them ages out and gc removes odd; src's file is damaged.
  await fs.utimes(rig.cache.layout.recordFile(odd), new Date(0), new Date(0));
  await collectGarbage(rig.cache, { olderThanMs: 86_400_000, dryRun: false });
  await fs.writeFile(path.join(rig.cache.layout.outputDir(src, 'out'), 'value.txt'), 'tampered');
  expect(await plan(rig.experiment(sketch(rig.log)))).toBe(
    [
      'plan: test (4 nodes): 0 cached, 2 stale, 2 blocked',
      '  stale    KEY  src',
      '      its entry is damaged and will be recomputed: outputs/out/value.txt: altered (size 1 → 8 bytes)',
      '  blocked  ·           mid',
      '      waits for src, whose new outputs decide its key',
      '  blocked  ·           leaf',
      '      waits for src, whose new outputs decide its key',
      '  stale    KEY  odd',
      '      same key as its last run (KEY), but the entry is gone (removed by cache gc, or a different --cache)',
    ].join('\n'),
  );
  // Planning only reads: the damaged entry is still there for `run` to report and move aside.
  expect(await rig.cache.keys()).toContain(src);
});

test('without --explain a blocked node names what it needs, on one line', async () => {
  const experiment = rig.experiment(sketch(rig.log));
  const states = await planExperiment(experiment, runtimeRegistry(), rig.cache);
  const text = renderPlan(experiment, planRows(experiment, states, undefined), false);
  expect(text.split('\n')[2]).toBe('  blocked  ·           mid   needs src');
});

test('plan of a long chain resolves without running anything', async () => {
  const nodes: NodeSketch[] = [{ id: 'n0', type: 't-emit', params: { value: 0 } }];
  for (let i = 1; i < 200; i++) nodes.push({ id: `n${i}`, type: 't-join', params: { tag: `${i}` }, inputs: { in: [`n${i - 1}.out`] } });
  const states = await planExperiment(rig.experiment(nodes), runtimeRegistry(), rig.cache);
  expect([...states.values()].filter((state) => state.state === 'blocked')).toHaveLength(199);
});

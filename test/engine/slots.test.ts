import { buildGraph } from '../../engine/experiment/graph';
import { criticalPriorities, GPU_NODE_WEIGHT } from '../../engine/run/critical-path';
import { Slots } from '../../engine/run/slots';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';
import { resolvedExperiment } from '../rig/resolved-experiment';

/** Runs a task that waits until `finish` is called, noting its start in `started`. */
function held(slots: Slots, resource: 'cpu' | 'gpu', priority: number, name: string, started: string[]) {
  let finish: () => void = () => undefined;
  const done = slots.run(slots.announce(resource, priority), () => {
    started.push(name);
    return new Promise<void>((resolve) => {
      finish = resolve;
    });
  });
  return { done, finish: () => finish() };
}

/** Two turns of the event loop: a freed slot is handed on in the next one. */
const settle = async () => {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('slots', () => {
  it('give a freed slot to the waiting node of highest priority, first come first served among equals', async () => {
    const slots = new Slots({ cpu: 1, gpu: 1 });
    const started: string[] = [];
    const first = held(slots, 'cpu', 0, 'first', started);
    const low = held(slots, 'cpu', 1, 'low', started);
    const high = held(slots, 'cpu', 5, 'high', started);
    const highToo = held(slots, 'cpu', 5, 'high too', started);
    await settle();
    expect(started).toEqual(['first']);
    for (const task of [first, high, highToo, low]) {
      task.finish();
      await settle();
    }
    expect(started).toEqual(['first', 'high', 'high too', 'low']);
  });

  it('keep a free slot for an announced node that outranks the one asking, and give it up when the ticket is withdrawn', async () => {
    const slots = new Slots({ cpu: 2, gpu: 1 });
    const started: string[] = [];
    const running = held(slots, 'cpu', 0, 'running', started);
    const coming = slots.announce('cpu', 9);
    const low = held(slots, 'cpu', 1, 'low', started);
    await settle();
    expect(started).toEqual(['running']);
    coming.withdraw();
    coming.withdraw();
    await settle();
    expect(started).toEqual(['running', 'low']);
    // An announced node that arrives takes the kept slot itself.
    const next = slots.announce('cpu', 9);
    const lower = held(slots, 'cpu', 0, 'lower', started);
    running.finish();
    await settle();
    expect(started).toEqual(['running', 'low']);
    await slots.run(next, async () => started.push('announced'));
    await settle();
    expect(started).toEqual(['running', 'low', 'announced', 'lower']);
    low.finish();
    lower.finish();
    await Promise.all([running.done, low.done, lower.done]);
  });

  it('do not let a gpu node waiting for the GPU keep a shared process slot from cpu nodes', async () => {
    const slots = new Slots({ cpu: 2, gpu: 1, total: 2 });
    const started: string[] = [];
    const training = held(slots, 'gpu', 10, 'training', started);
    const waitingForGpu = held(slots, 'gpu', 20, 'second training', started);
    const loader = held(slots, 'cpu', 1, 'loader', started);
    await settle();
    expect(started).toEqual(['training', 'loader']);
    training.finish();
    loader.finish();
    await settle();
    expect(started).toEqual(['training', 'loader', 'second training']);
    waitingForGpu.finish();
    await waitingForGpu.done;
  });

  it('keep a shared slot for an announced cpu node that outranks a gpu node let in by its class', async () => {
    const slots = new Slots({ cpu: 2, gpu: 2, total: 2 });
    const started: string[] = [];
    const spade = held(slots, 'gpu', 41, 'spade', started);
    const sampler = held(slots, 'gpu', 43, 'sampler', started);
    const model = held(slots, 'gpu', 20, 'model', started);
    await settle();
    const filter = slots.announce('cpu', 33);
    sampler.finish();
    await settle();
    expect(started).toEqual(['spade', 'sampler']);
    const filtering = slots.run(filter, async () => started.push('filter'));
    await filtering;
    await settle();
    expect(started).toEqual(['spade', 'sampler', 'filter', 'model']);
    spade.finish();
    model.finish();
    await Promise.all([spade.done, sampler.done, model.done]);
  });
});

describe('critical priorities', () => {
  it('weigh each node by the heaviest chain from it to the end, gpu nodes ten times a cpu node', () => {
    const experiment = resolvedExperiment('/x/experiment.yaml', [
      { id: 'load', type: 't-emit', params: { value: 1 } },
      { id: 'model', type: 't-gpu', inputs: { in: ['load.out'] } },
      { id: 'generator', type: 't-gpu', inputs: { in: ['load.out'] } },
      { id: 'images', type: 't-gpu', inputs: { in: ['generator.out'] } },
      { id: 'merged', type: 't-join', inputs: { in: ['images.out', 'load.out'] } },
      { id: 'augmented', type: 't-gpu', inputs: { in: ['merged.out'] } },
    ]);
    const gpu = new Set(['model', 'generator', 'images', 'augmented']);
    const priorities = criticalPriorities(buildGraph(experiment.nodes), (id) => (gpu.has(id) ? 'gpu' : 'cpu'));
    const w = GPU_NODE_WEIGHT;
    expect(Object.fromEntries(priorities)).toEqual({
      augmented: w,
      merged: 1 + w,
      images: w + 1 + w,
      generator: 3 * w + 1,
      model: w,
      load: 3 * w + 2,
    });
  });
});

describe('the scheduler', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await makeEngineRig();
  });
  afterEach(() => rig.remove());

  it('starts the long chain before a node that nothing waits for, with one slot', async () => {
    const log = rig.log;
    const experiment = rig.experiment([
      { id: 'root', type: 't-emit', params: { value: 'r', log } },
      { id: 'short', type: 't-join', params: { tag: 's', log, sleepMs: 50 }, inputs: { in: ['root.out'] } },
      { id: 'mid1', type: 't-join', params: { tag: '1', log, sleepMs: 50 }, inputs: { in: ['root.out'] } },
      { id: 'mid2', type: 't-join', params: { tag: '2', log }, inputs: { in: ['mid1.out'] } },
      { id: 'mid3', type: 't-join', params: { tag: '3', log }, inputs: { in: ['mid2.out'] } },
    ]);
    const result = await rig.run(experiment, { jobs: 1, executor: undefined });
    expect(result.exitCode).toBe(0);
    expect(result.started).toEqual(['root', 'mid1', 'mid2', 'short', 'mid3']);
  });
});

import { promises as fs } from 'fs';
import { readdirOrEmpty } from '../../engine/cache/cache';
import { AttemptFolder } from '../../engine/run/job-folder';
import type { RunEvent } from '../../engine/run/events';
import { waitFor } from '../rig/child-process';
import { type EngineRig, makeEngineRig, wideGraph } from '../rig/engine-rig';
import { readCalls } from '../rig/runtime-nodes';

/** The process pool: every node a `cardigan run-node` child of the runtime test nodes (test/rig/worker.ts). */

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function keysOf(events: RunEvent[]): Record<string, string> {
  return Object.fromEntries(events.flatMap((event) => (event.type === 'node-done' ? [[event.node, event.key]] : [])));
}

test('the same keys and outputs as in-process, each node computed in its own worker process', async () => {
  const experiment = rig.experiment(wideGraph(rig.log, 6));
  const pooled = await rig.run(experiment, { executor: rig.pool(), jobs: 2 });
  expect(pooled.exitCode).toBe(0);
  expect(pooled.record.options.executor).toBe('processes');
  const workers = new Set(readCalls(rig.log).map((call) => call.pid));
  expect(workers.has(process.pid)).toBe(false);
  expect(workers.size).toBe(6);

  const inProcess = await makeEngineRig();
  try {
    const local = await inProcess.run(inProcess.experiment(wideGraph(rig.log, 6)));
    expect(local.record.options.executor).toBe('inprocess');
    expect(keysOf(pooled.events)).toEqual(keysOf(local.events));
    expect(Object.keys(keysOf(pooled.events))).toHaveLength(6);
    const outputs = (events: RunEvent[]): string[] => events.flatMap((event) => (event.type === 'node-done' ? [JSON.stringify(event.outputs)] : []));
    expect(outputs(pooled.events).sort()).toEqual(outputs(local.events).sort());
  } finally {
    await inProcess.remove();
  }
  const done = pooled.nodes.get('n5');
  if (done?.status !== 'done') throw new Error(`n5 is ${done?.status}`);
  expect(done.record.provenance.executor).toEqual({ name: 'processes' });
  expect(done.record.provenance.pid).not.toBe(process.pid);
  // Successful attempts leave nothing behind.
  expect(await readdirOrEmpty(rig.cache.layout.jobsDir)).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.locksDir)).toEqual([]);
  // One backend event for the run, as in-process.
  expect(pooled.events.filter((event) => event.type === 'backend')).toHaveLength(1);
  expect(pooled.record.backend?.name).toBe('cpu');
});

test('on a cpu backend gpu-class nodes take any process slot: two overlap under --jobs 2, never under --jobs 1', async () => {
  const log = rig.log;
  // Long enough to overlap however slowly the two workers start on a busy machine.
  const nodes = [
    { id: 'g1', type: 't-gpu', params: { value: 'g1', sleepMs: 4000, log } },
    { id: 'g2', type: 't-gpu', params: { value: 'g2', sleepMs: 4000, log } },
  ];
  const span = (id: string): [number, number] => {
    const calls = readCalls(log);
    return [calls.find((c) => c.node === id && c.event === 'start')?.t ?? NaN, calls.find((c) => c.node === id && c.event === 'end')?.t ?? NaN];
  };
  const overlap = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];
  expect((await rig.run(rig.experiment(nodes), { executor: rig.pool(), jobs: 2 })).exitCode).toBe(0);
  expect(overlap(span('g1'), span('g2'))).toBe(true);

  await fs.rm(log);
  const one = await rig.run(rig.experiment(nodes.map((node) => ({ ...node, params: { ...node.params, value: `${node.params.value}-1`, sleepMs: 300 } }))), {
    executor: rig.pool(),
    jobs: 1,
  });
  expect(one.exitCode).toBe(0);
  expect(overlap(span('g1'), span('g2'))).toBe(false);
});

test('a node that throws fails with its error; its attempt folder is kept with the result and the log', async () => {
  const experiment = rig.experiment([
    { id: 'bad', type: 't-fail', params: { message: 'no data for patient0042', log: rig.log } },
    { id: 'after', type: 't-join', params: { tag: 'x', log: rig.log }, inputs: { in: ['bad.out'] } },
  ]);
  const result = await rig.run(experiment, { executor: rig.pool() });
  expect(result.exitCode).toBe(1);
  expect(result.record.nodes.map((node) => [node.id, node.status, node.error])).toEqual([
    ['bad', 'failed', 'no data for patient0042'],
    ['after', 'blocked', null],
  ]);
  const failed = result.record.nodes[0];
  const [attempt] = await AttemptFolder.list(rig.cache.layout, failed.key as string);
  expect(await attempt.readResult()).toMatchObject({ ok: false, failure: { reason: 'threw', message: 'no data for patient0042' } });
  expect((await attempt.logTail()).join('\n')).toContain('run-node: bad failed: no data for patient0042');
});

test("progress and log lines reach the run's events through the worker's events file", async () => {
  const experiment = rig.experiment([{ id: 'count', type: 't-steps', params: { steps: 3, stepMs: 10, log: rig.log } }]);
  const result = await rig.run(experiment, { executor: rig.pool() });
  expect(result.exitCode).toBe(0);
  const progress = result.events.filter((event) => event.type === 'node-progress');
  expect(progress.map((event) => event.type === 'node-progress' && event.done)).toEqual([1, 2, 3]);
  const types = result.events.map((event) => event.type);
  expect(types.indexOf('node-start')).toBeLessThan(types.indexOf('node-progress'));
  expect(types.lastIndexOf('node-progress')).toBeLessThan(types.indexOf('node-done'));
});

test('a worker killed by a signal fails its node with that signal; the next run resumes from its checkpoint', async () => {
  const experiment = rig.experiment([{ id: 'count', type: 't-steps', params: { steps: 12, stepMs: 150, log: rig.log } }]);
  const running = rig.run(experiment, { executor: rig.pool() });
  await waitFor(() => readCalls(rig.log).some((call) => call.event === 'end'), 30_000, 'a first step');
  const worker = readCalls(rig.log)[0].pid;
  process.kill(worker, 'SIGKILL');
  const result = await running;
  expect(result.exitCode).toBe(1);
  expect(result.record.nodes[0].error).toMatch(/^the worker was killed by SIGKILL \((kill -9, or )?the out-of-memory killer\)/);

  const again = await rig.run(experiment, { executor: rig.pool() });
  expect(again.exitCode).toBe(0);
  expect(again.events).toContainEqual(expect.objectContaining({ type: 'lock-broken', node: 'count' }));
  expect(again.events).toContainEqual(expect.objectContaining({ type: 'node-start', node: 'count', checkpoint: true }));
});

test('Ctrl-C reaches the workers: running nodes stop, nothing is published, no lock is left, the checkpoint stays', async () => {
  const experiment = rig.experiment([
    { id: 'a', type: 't-steps', params: { steps: 200, stepMs: 50, log: rig.log } },
    { id: 'b', type: 't-steps', params: { steps: 201, stepMs: 50, log: rig.log } },
  ]);
  const controller = new AbortController();
  const running = rig.run(experiment, { executor: rig.pool(), jobs: 2, signal: controller.signal });
  await waitFor(
    () =>
      new Set(
        readCalls(rig.log)
          .filter((call) => call.event === 'end')
          .map((call) => call.node),
      ).size === 2,
    30_000,
    'both nodes stepping',
  );
  const workers = [...new Set(readCalls(rig.log).map((call) => call.pid))];
  controller.abort(new Error('SIGINT received'));
  const result = await running;
  expect(result.exitCode).toBe(130);
  expect(result.record.nodes.map((node) => node.status)).toEqual(['interrupted', 'interrupted']);
  for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  expect(await rig.cache.keys()).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.locksDir)).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.tmpDir)).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.checkpointsDir)).toHaveLength(2);
});

test('two runs on one cache, both with worker pools, compute each key once', async () => {
  const log = rig.log;
  const experiment = rig.experiment([
    { id: 'a', type: 't-emit', params: { value: 'a', sleepMs: 400, log } },
    { id: 'b', type: 't-join', params: { tag: 'b', log }, inputs: { in: ['a.out'] } },
  ]);
  const [first, second] = await Promise.all([rig.run(experiment, { executor: rig.pool() }), rig.run(experiment, { executor: rig.pool() })]);
  expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
  const starts = readCalls(log).filter((call) => call.event === 'start');
  expect(starts.map((call) => call.node).sort()).toEqual(['a', 'b']);
  const statuses = [...first.record.nodes, ...second.record.nodes].map((node) => node.status).sort();
  expect(statuses).toEqual(['cached', 'cached', 'done', 'done']);
});

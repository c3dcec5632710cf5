import { promises as fs } from 'fs';
import { readdirOrEmpty } from '../../engine/cache/cache';
import * as path from 'path';
import { verifyCache } from '../../engine/cache/inspect';
import { listRuns } from '../../engine/run/run-record';
import { startChildRun, startTogether, waitFor } from '../rig/child-process';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';
import { readCalls } from '../rig/runtime-nodes';

/** Real processes: killed with SIGKILL, interrupted with SIGINT, and racing on one cache. */

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function stepsReached(log: string): number {
  return Math.max(
    0,
    ...readCalls(log)
      .filter((call) => call.event === 'end')
      .map((call) => call.step ?? 0),
  );
}

test('kill -9 mid-node: the next run breaks the stale lock, removes the half entry and resumes from the checkpoint', async () => {
  const experiment = rig.experiment([{ id: 'count', type: 't-steps', params: { steps: 8, stepMs: 80, log: rig.log } }]);
  const child = await startChildRun(experiment, rig.cache.root, rig.dir);
  await waitFor(() => stepsReached(rig.log) >= 3, 30_000, 'three checkpointed steps');
  child.child.kill('SIGKILL');
  expect(await child.exited).toBe('SIGKILL');

  // What the killed process left: a lock, a temp entry, a checkpoint; and no entry.
  expect(await readdirOrEmpty(rig.cache.layout.locksDir)).toHaveLength(1);
  expect(await readdirOrEmpty(rig.cache.layout.tmpDir)).toHaveLength(1);
  expect(await rig.cache.keys()).toEqual([]);
  const killedAt = stepsReached(rig.log);

  const next = await rig.run(experiment);
  expect(next.exitCode).toBe(0);
  const types = next.events.map((event) => event.type);
  expect(types).toContain('orphans-removed');
  expect(types).toContain('lock-broken');
  expect(next.events).toContainEqual(expect.objectContaining({ type: 'node-start', node: 'count', checkpoint: true }));
  const resume = readCalls(rig.log).find((call) => call.event === 'resume');
  expect(resume?.step).toBeGreaterThanOrEqual(killedAt - 1);
  expect(resume?.step).toBeGreaterThanOrEqual(3);
  expect(next.record.nodes[0].resumedFromCheckpoint).toBe(true);

  // Every step ran exactly once across the two processes, as the checkpoint carried the count over.
  const outcome = next.nodes.get('count');
  if (outcome?.status !== 'done') throw new Error(`count is ${outcome?.status}`);
  const value = await fs.readFile(path.join(rig.cache.layout.outputDir(outcome.key.hash, 'out'), 'value.txt'), 'utf8');
  expect(value).toBe('1,2,3,4,5,6,7,8');

  const verified = await verifyCache(rig.cache);
  expect(verified.bad).toEqual([]);
  expect(verified.checked).toBe(1);
  expect(await readdirOrEmpty(rig.cache.layout.tmpDir)).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.locksDir)).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.checkpointsDir)).toEqual([]);
});

test('Ctrl-C: running nodes stop, nothing half-written is published, the record says interrupted, exit 130', async () => {
  const experiment = rig.experiment([
    { id: 'count', type: 't-steps', params: { steps: 200, stepMs: 30, log: rig.log } },
    { id: 'after', type: 't-join', params: { tag: 'a', log: rig.log }, inputs: { in: ['count.out'] } },
  ]);
  const child = await startChildRun(experiment, rig.cache.root, rig.dir);
  await waitFor(() => stepsReached(rig.log) >= 2, 30_000, 'two checkpointed steps');
  child.child.kill('SIGINT');
  expect(await child.exited).toBe(130);

  expect(await rig.cache.keys()).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.tmpDir)).toEqual([]);
  expect(await readdirOrEmpty(rig.cache.layout.locksDir)).toEqual([]);
  const [run] = await listRuns(rig.cache.layout);
  expect(run.interrupted).toBe(true);
  expect(run.exitCode).toBe(130);
  expect(run.nodes.map((node) => [node.id, node.status])).toEqual([
    ['count', 'interrupted'],
    ['after', 'interrupted'],
  ]);
  expect(child.events.map((event) => event.type)).toContain('node-interrupted');
  // The checkpoint survives for the next run.
  expect(await readdirOrEmpty(rig.cache.layout.checkpointsDir)).toHaveLength(1);
});

test('two concurrent runs on one cache compute each key exactly once and both succeed', async () => {
  const log = rig.log;
  const experiment = rig.experiment([
    { id: 'a', type: 't-emit', params: { value: 'a', sleepMs: 250, log } },
    { id: 'b', type: 't-emit', params: { value: 'b', sleepMs: 250, log } },
    { id: 'c', type: 't-join', params: { tag: 'c', sleepMs: 250, log }, inputs: { in: ['a.out', 'b.out'] } },
    { id: 'd', type: 't-join', params: { tag: 'd', sleepMs: 250, log }, inputs: { in: ['a.out'] } },
    { id: 'e', type: 't-join', params: { tag: 'e', sleepMs: 250, log }, inputs: { in: ['c.out', 'd.out'] } },
  ]);
  const [first, second] = await startTogether(2, experiment, rig.cache.root, rig.dir);
  const codes = await Promise.all([first.exited, second.exited]);
  expect({ codes, stderr: first.stderr() + second.stderr() }).toEqual({ codes: [0, 0], stderr: '' });

  const starts = readCalls(log).filter((call) => call.event === 'start');
  const perKey = new Map<string, number>();
  for (const call of starts) perKey.set(call.key, (perKey.get(call.key) ?? 0) + 1);
  expect(perKey.size).toBe(5);
  expect([...perKey.values()]).toEqual([1, 1, 1, 1, 1]);
  // The two processes really did overlap: one of them waited on the other's lock at least once.
  const waited = [...first.events, ...second.events].filter((event) => event.type === 'node-waiting');
  expect(waited.length).toBeGreaterThan(0);
  expect((await verifyCache(rig.cache)).bad).toEqual([]);
});

import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { readIndex } from '../../engine/cache/last-keys';
import type { EntryRecord } from '../../engine/cache/entry-record';
import { CACHE_FORMAT_VERSION } from '../../engine/keys/fingerprint';
import { keyOf } from '../../engine/keys/key';
import { cardiganVersion } from '../../engine/cache/package-info';
import type { RunRecord } from '../../engine/run/run-record';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function experiment(log: string, tag = 'j'): Parameters<EngineRig['experiment']>[0] {
  return [
    { id: 'e', type: 't-emit', params: { value: 'v', log, label: 'cosmetic' }, seed: 42 },
    { id: 'j', type: 't-join', params: { tag, log }, inputs: { in: ['e.out'] }, seed: 43 },
    { id: 'f', type: 't-fail', params: { message: 'no luck' }, seed: 44 },
  ];
}

test('a run record holds, per node, the key and its parts, status, timings, cache hit, backend and versions', async () => {
  const first = await rig.run(rig.experiment(experiment(rig.log), 'paper run'), { command: ['run', 'x.yaml'] });
  const runDir = path.dirname(first.recordFile);
  expect(path.basename(runDir)).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-paper_run$/);
  const record = JSON.parse(await fs.readFile(first.recordFile, 'utf8')) as RunRecord;
  expect(record).toEqual(first.record);

  expect(record.experiment).toEqual({ name: 'paper run', file: rig.file, seed: 1 });
  expect(record.command).toEqual(['run', 'x.yaml']);
  expect(record.cache).toBe(rig.cache.root);
  expect(record.outcome).toBe('failed');
  expect(record.exitCode).toBe(1);
  expect(record.interrupted).toBe(false);
  expect(record.options).toEqual({ jobs: 4, executor: 'inprocess', backend: 'cpu', selection: {} });
  expect(record.backend?.name).toBe('cpu');
  expect(record.backend?.requested).toBe('cpu');
  expect(record.versions).toEqual({ cardigan: cardiganVersion(), tfjs: expect.stringMatching(/^\d+\.\d+\.\d+/), node: process.version });
  expect(record.counts).toEqual({ cached: 0, done: 2, failed: 1, blocked: 0, interrupted: 0, skipped: 0 });

  const [e, j, f] = record.nodes;
  // The key is the hash of the recorded parts, and the parts are what the docs say.
  expect(e.key).toBe(keyOf(e.parts as NonNullable<typeof e.parts>).hash);
  expect(e.parts).toEqual({ format: CACHE_FORMAT_VERSION, type: 't-emit', version: 1, params: { value: 'v' }, inputs: {}, seed: 42 });
  expect(e).toMatchObject({
    id: 'e',
    type: 't-emit',
    version: 1,
    status: 'done',
    cacheHit: false,
    resumedFromCheckpoint: false,
    error: null,
    blockedBy: null,
    damagedEntry: null,
  });
  expect(e.producedBy).toEqual({ runId: first.runId, backend: 'cpu', seconds: expect.any(Number) });
  expect(Date.parse(e.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(e.startedAt as string));
  expect(e.seconds).toBeGreaterThanOrEqual(0);
  expect(j.parts?.inputs).toEqual({ in: [e.outputs?.out] });
  expect(j.inputs).toEqual({ in: [{ from: 'e.out', hash: e.outputs?.out }] });
  expect(f).toMatchObject({ status: 'failed', error: 'no luck', cacheHit: false, outputs: null });

  // The resolved experiment is saved beside the record.
  const saved = JSON.parse(await fs.readFile(path.join(runDir, 'experiment.json'), 'utf8')) as { nodes: { id: string }[] };
  expect(saved.nodes.map((node) => node.id)).toEqual(['e', 'j', 'f']);

  const second = await rig.run(rig.experiment(experiment(rig.log), 'paper run'));
  const [e2] = second.record.nodes;
  expect(e2).toMatchObject({ status: 'cached', cacheHit: true, key: e.key, seconds: null, startedAt: null });
  // A hit names the run and backend that produced it.
  expect(e2.producedBy?.runId).toBe(first.runId);
  expect(second.runId).not.toBe(first.runId);
});

test('the entry record holds what `cardigan run-node <key>` would need: type, version, params, seed, inputs by key and hash', async () => {
  const result = await rig.run(rig.experiment(experiment(rig.log)));
  const j = result.record.nodes[1];
  const entry = JSON.parse(await fs.readFile(rig.cache.layout.recordFile(j.key as string), 'utf8')) as EntryRecord;
  expect(entry.job).toMatchObject({ key: j.key, nodeId: 'j', type: 't-join', version: 1, seed: 43, resource: 'cpu', params: { tag: 'j', log: rig.log } });
  const producer = result.record.nodes[0];
  expect(entry.job.inputs).toEqual({ in: [{ from: 'e.out', nodeId: 'e', port: 'out', key: producer.key, hash: producer.outputs?.out, type: 'file' }] });
  // value.txt holds `v>j`: its hash, size and mtime are recorded so reads can be checked.
  expect(entry.outputs.out.files['value.txt']).toEqual({ sha256: createHash('sha256').update('v>j').digest('hex'), size: 3, mtimeMs: expect.any(Number) });
  expect(entry.provenance).toMatchObject({ runId: result.runId, backend: 'cpu', pid: process.pid, resumedFromCheckpoint: false });
});

test('the index keeps each node’s last cached key and parts for plan --explain', async () => {
  await rig.run(rig.experiment(experiment(rig.log, 'first')));
  const second = await rig.run(rig.experiment(experiment(rig.log, 'second')));
  const index = await readIndex(rig.cache.layout, rig.file);
  expect(Object.keys(index.nodes).sort()).toEqual(['e', 'j']);
  expect(index.nodes.j.key).toBe(second.record.nodes[1].key);
  expect(index.nodes.j.parts.params).toEqual({ tag: 'second' });
});

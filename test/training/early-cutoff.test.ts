import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cache } from '../../engine/cache/cache';
import { type NodeType, defineNode, single } from '../../engine/node-api';
import { NodeRegistry } from '../../engine/registry';
import { type RunResult, runExperiment } from '../../engine/run/scheduler';
import { registerBuiltinNodes } from '../../nodes/types';
import type { SegmentationParams } from '../../nodes/segmentation/segmentation-node';
import { TIMINGS_LOG, TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { heartsNode } from '../rig/hearts-node';
import { resolvedExperiment } from '../rig/resolved-experiment';

/**
 * A real trainer through the engine: training is deterministic, and its wall-clock figures live in
 * the model's volatile/ folder, so retraining gives the same `model` hash and what reads the model
 * is not recomputed.
 */

/** Reads a model and counts its calls: the stand-in for generate/evaluate downstream of a trainer. */
let consumerRuns = 0;
const consumerNode = defineNode<Record<string, never>>({
  type: 't-uses-model',
  version: 1,
  description: 'reads a model',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  inputs: { model: { type: 'model', description: 'a trained model' } },
  outputs: { out: { type: 'file', description: 'the model log size' } },
  resource: 'cpu',
  async run(ctx, inputs) {
    consumerRuns++;
    const log = await fs.readFile(path.join(single(inputs, 'model').dir, TRAINING_LOG));
    await fs.writeFile(path.join(ctx.outputDir('out'), 'value.txt'), String(log.length));
  },
});

function registry(): NodeRegistry {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  registry.register(heartsNode as unknown as NodeType<never>);
  registry.register(consumerNode as unknown as NodeType<never>);
  return registry;
}

const unetParams: SegmentationParams = { epochs: 2, batchSize: 4, lr: 0.001, lrDecayFrom: null, loss: 'ce', initChannels: 4, augmentation: false, seed: null };

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-cutoff-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(cacheName: string, force: string[] = []): Promise<{ result: RunResult; cache: Cache }> {
  const cache = new Cache(path.join(dir, cacheName));
  const experiment = resolvedExperiment(path.join(dir, 'experiment.yaml'), [
    { id: 'hearts', type: 't-hearts', params: { count: 8, size: 32 } },
    { id: 'unet', type: 'train-unet', params: { ...unetParams }, inputs: { train: ['hearts.dataset'], val: ['hearts.dataset'] } },
    { id: 'use', type: 't-uses-model', inputs: { model: ['unet.model'] } },
  ]);
  const result = await runExperiment(experiment, { cache, registry: registry(), backend: 'wasm', jobs: 1, selection: { force } });
  expect(result.exitCode).toBe(0);
  return { result, cache };
}

function modelOf(result: RunResult): { key: string; hash: string } {
  const outcome = result.nodes.get('unet');
  if (outcome?.status !== 'done' && outcome?.status !== 'cached') throw new Error(`unet ${outcome?.status}`);
  const hash = result.record.nodes.find((node) => node.id === 'unet')?.outputs?.model;
  if (hash === undefined) throw new Error('unet has no model hash');
  return { key: outcome.key.hash, hash };
}

test('train-unet retrained from scratch gives the same model hash, its timings kept under volatile/, and its consumer is reused', async () => {
  consumerRuns = 0;
  const a = await run('cache-a');
  const b = await run('cache-b');
  expect(consumerRuns).toBe(2);
  const [modelA, modelB] = [modelOf(a.result), modelOf(b.result)];
  expect(modelB).toEqual(modelA);

  // The timings are there, one line per epoch, recorded in the entry like any other file.
  for (const { cache } of [a, b]) {
    const timings = (await fs.readFile(path.join(cache.layout.outputDir(modelA.key, 'model'), TIMINGS_LOG), 'utf8')).trim().split('\n');
    expect(timings.map((line) => (JSON.parse(line) as { epoch: number }).epoch)).toEqual([1, 2]);
    const found = await cache.lookup(modelA.key, 'rehash');
    expect(found.state === 'hit' && Object.keys(found.record.outputs.model.files)).toContain(TIMINGS_LOG);
  }

  // Forced to retrain in the same cache: new timings, same hash, and the model's reader is a hit.
  const again = await run('cache-a', ['unet']);
  expect(again.result.nodes.get('unet')?.status).toBe('done');
  expect(modelOf(again.result).hash).toBe(modelA.hash);
  expect(again.result.nodes.get('use')?.status).toBe('cached');
  expect(consumerRuns).toBe(2);
}, 120_000);

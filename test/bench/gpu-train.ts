import { promises as fs } from 'fs';
import * as path from 'path';
import type * as TF from '@tensorflow/tfjs-core';
import type { BackendInfo } from '../../engine/compute/backend';
import type { InputArtifact } from '../../engine/node-api';
import { NodeRegistry } from '../../engine/registry';
import { declaredParams, paramsCheck } from '../../engine/experiment/validate';
import { type Dataset, type DatasetItem, writeDataset } from '../../nodes/data/dataset-artifact';
import { Random } from '../../nodes/data/random';
import { TIMINGS_LOG, TRAINING_LOG } from '../../nodes/nn/training/log-files';
import type { EpochRecord, EpochTiming } from '../../nodes/nn/training/loop';
import { registerBuiltinNodes } from '../../nodes/types';
import { makeTestContext } from '../rig/node-context';
import { createUNet, randomBatch } from './unet';
import { testItem } from '../rig/dataset';

/**
 * Real cardigan training for the GPU check: the `train-unet` node (nodes/models, nodes/training)
 * run as the engine runs it, on the backend initBackend chose, on synthetic images whose classes
 * follow their intensity and position, so the loss falls within a few steps. Where this checkout
 * has no train-unet node yet, the bench's own U-Net (test/bench/unet.ts) trains instead.
 */
export interface TrainingShape {
  size: number;
  batch: number;
  /** Training images; steps per epoch = trainItems / batch. */
  trainItems: number;
  valItems: number;
  epochs: number;
  initChannels: number;
}

export interface EpochFigures {
  epoch: number;
  loss: number;
  imagesPerSecond: number;
  seconds: number;
}

export interface TrainingRun {
  /** What trained: the train-unet node, or the bench U-Net. */
  source: string;
  epochs: EpochFigures[];
}

/** Reads a JSON-lines file: one object per line. */
async function readJsonLines<T>(file: string): Promise<T[]> {
  return (await fs.readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

export async function trainThroughCardigan(backend: BackendInfo, shape: TrainingShape, print: (line: string) => void): Promise<TrainingRun> {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  const run = registry.has('train-unet') ? await trainUnetNode(registry, backend, shape) : await benchUnet(shape);
  for (const e of run.epochs) {
    print(`  ${backend.kind} epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, ${e.imagesPerSecond.toFixed(2)} images/s, ${e.seconds.toFixed(1)} s`);
  }
  return run;
}

async function trainUnetNode(registry: NodeRegistry, backend: BackendInfo, shape: TrainingShape): Promise<TrainingRun> {
  const node = registry.get('train-unet');
  // Only the params its schema declares (defaults fill in the rest): the node may still be changing.
  const wanted: Record<string, unknown> = { epochs: shape.epochs, batchSize: shape.batch, initChannels: shape.initChannels, augmentation: false, seed: 1 };
  const declared = new Set(declaredParams(node.paramsSchema).names);
  const params = Object.fromEntries(Object.entries(wanted).filter(([name]) => declared.has(name)));
  const check = paramsCheck(node.paramsSchema);
  if ('error' in check) throw new Error(`train-unet's schema does not compile: ${check.error}`);
  const problems = check(params);
  if (problems.length > 0) throw new Error(`train-unet refuses the check's params ${JSON.stringify(params)}: ${JSON.stringify(problems)}`);

  const ctx = await makeTestContext({ nodeId: 'gpu-check-unet', seed: 1, backend: backend.name });
  try {
    const inputs: Record<string, InputArtifact> = {};
    for (const [port, items, seed] of [
      ['train', shape.trainItems, 1],
      ['val', shape.valItems, 2],
    ] as const) {
      const dir = path.join(ctx.root, 'in', port);
      await writeDataset(dir, syntheticDataset(items, shape.size, seed));
      inputs[port] = { dir, hash: '0'.repeat(64), type: 'dataset', from: `gpu-check.${port}`, nodeId: 'gpu-check' };
    }
    await node.run(ctx, inputs, params);
    const modelDir = path.dirname(await findFile(path.join(ctx.root, 'out'), TRAINING_LOG));
    const records = await readJsonLines<EpochRecord>(path.join(modelDir, TRAINING_LOG));
    const timings = await readJsonLines<EpochTiming>(path.join(modelDir, TIMINGS_LOG));
    const epochs = records.map((e, i) => ({
      epoch: e.epoch,
      loss: e.losses.loss ?? Object.values(e.losses)[0],
      imagesPerSecond: timings[i].imagesPerSecond,
      seconds: timings[i].seconds,
    }));
    return { source: 'train-unet node (nodes/models, nodes/training)', epochs };
  } finally {
    await fs.rm(ctx.root, { recursive: true, force: true });
  }
}

/** The path of the first file called `name` under `dir` (the node's output ports). */
async function findFile(dir: string, name: string): Promise<string> {
  for (const entry of await fs.readdir(dir, { recursive: true })) {
    if (path.basename(entry) === name) return path.join(dir, entry);
  }
  throw new Error(`train-unet wrote no ${name} under ${dir}`);
}

/** The bench U-Net, one Adam step per "epoch" on one fixed batch (the loss falls as it fits it). */
async function benchUnet(shape: TrainingShape): Promise<TrainingRun> {
  const tf = require('@tensorflow/tfjs-core') as typeof TF;
  const unet = createUNet({ initChannels: shape.initChannels });
  const { images, labels } = randomBatch(shape.batch, shape.size);
  const epochs: EpochFigures[] = [];
  try {
    const steps = Math.max(1, Math.floor(shape.trainItems / shape.batch));
    for (let epoch = 1; epoch <= shape.epochs; epoch++) {
      const started = performance.now();
      let sum = 0;
      for (let step = 0; step < steps; step++) {
        const loss = unet.step(images, labels);
        sum += (await loss.data())[0];
        loss.dispose();
      }
      const seconds = (performance.now() - started) / 1000;
      epochs.push({ epoch, loss: sum / steps, imagesPerSecond: (steps * shape.batch) / seconds, seconds });
    }
  } finally {
    tf.dispose([images, labels]);
    unet.dispose();
  }
  return { source: 'bench U-Net (test/bench/unet.ts): this checkout has no train-unet node', epochs };
}

/**
 * Images of an idealised apical view: an LV disc inside a myocardial ring with the LA below, each
 * class with its own brightness plus noise, at a random place and size per image.
 */
function syntheticDataset(count: number, size: number, seed: number): Dataset {
  const random = new Random(seed);
  const pixels = size * size;
  const images = new Float32Array(count * pixels);
  const masks = new Uint8Array(count * pixels);
  const brightness = [0.15, 0.4, 0.85, 0.6];
  const items: DatasetItem[] = [];
  for (let n = 0; n < count; n++) {
    const cx = size * random.uniform(0.4, 0.6);
    const cy = size * random.uniform(0.35, 0.5);
    const lv = size * random.uniform(0.12, 0.18);
    const wall = size * random.uniform(0.05, 0.08);
    const la = size * random.uniform(0.08, 0.12);
    const laY = cy + lv + wall + la * 0.9;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x - cx, y - cy);
        const label = r < lv ? 1 : r < lv + wall ? 2 : Math.hypot(x - cx, y - laY) < la ? 3 : 0;
        const i = n * pixels + y * size + x;
        masks[i] = label;
        images[i] = Math.min(1, Math.max(0, brightness[label] + random.normal(0, 0.08)));
      }
    }
    items.push(testItem(`synthetic${String(n).padStart(3, '0')}`, { nativeSize: [size, size], split: 'train' }));
  }
  return { manifest: { format: 'cardigan-dataset/1', size: [size, size], hasImages: true, items }, images, masks };
}

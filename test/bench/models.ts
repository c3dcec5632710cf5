import { readFileSync } from 'fs';
import * as path from 'path';
import { backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import type { InputArtifact, NodeType } from '../../engine/node-api';
import { writeDataset } from '../../nodes/data/dataset-artifact';
import type { EpochTiming } from '../../nodes/nn/training/loop';
import { SegmentationParams } from '../../nodes/segmentation/segmentation-trainer';
import { TIMINGS_LOG } from '../../nodes/nn/training/log-files';
import { node as trainEnet } from '../../nodes/types/train-enet/node';
import { node as trainUnet } from '../../nodes/types/train-unet/node';
import { syntheticHearts } from '../models/synthetic-hearts';
import { makeTestContext } from '../rig/node-context';
import { BenchOptions, BenchResult, BenchSuite, round } from './suite';

/**
 * Seconds per epoch of train-unet and train-enet at the paper's widths (U-Net 32, ENet 16) and batch
 * size (8), at 128×128 and 256×256, through the real nodes: the training loop, validation and the
 * per-epoch checkpoint included. A small synthetic set (16 training, 8 validation images) keeps the
 * run short; images/s of the training steps then gives the time of an epoch of the paper's 1,600
 * training images. The first epoch (warm-up: kernel set-up, allocation) is not counted.
 */
const NODES: Array<[string, NodeType<SegmentationParams>, number]> = [
  ['unet', trainUnet, 32],
  ['enet', trainEnet, 16],
];
const PAPER_TRAIN_IMAGES = 1600;

async function timeNode(name: string, node: NodeType<SegmentationParams>, width: number, size: number, epochs: number, log: (line: string) => void): Promise<EpochTiming[]> {
  const ctx = await makeTestContext({ nodeId: `${name}-${size}` });
  const dirs = { train: path.join(ctx.root, 'train'), val: path.join(ctx.root, 'val') };
  await writeDataset(dirs.train, syntheticHearts(16, size, 1));
  await writeDataset(dirs.val, syntheticHearts(8, size, 2));
  const input = (port: 'train' | 'val'): InputArtifact => ({ dir: dirs[port], hash: port, type: 'dataset', from: `bench.${port}`, nodeId: 'bench' });
  const params: SegmentationParams = { epochs, batchSize: 8, lr: 0.001, lrDecayFrom: null, loss: 'ce', initChannels: width, augmentation: false, seed: 1 };
  await node.run(ctx, { train: input('train'), val: input('val') }, params);
  const records = readFileSync(path.join(ctx.outputDir('model'), TIMINGS_LOG), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as EpochTiming);
  log(`  ${name} ${size}: epochs ${records.map((r) => `${r.seconds} s`).join(', ')}`);
  return records.slice(1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const suite: BenchSuite = {
  name: 'models',
  summary: 'seconds/epoch of train-unet (width 32) and train-enet (width 16), batch 8, at 128 and 256',
  async run({ quick, log }: BenchOptions): Promise<BenchResult> {
    const backend = await initBackend(backendChoiceFrom(undefined));
    const rows: BenchResult['rows'] = [];
    const json: Record<string, unknown> = { models_backend: backend.kind };
    for (const size of quick ? [128] : [128, 256]) {
      for (const [name, node, width] of NODES) {
        const counted = await timeNode(name, node, width, size, quick ? 2 : 3, log);
        const seconds = median(counted.map((r) => r.seconds));
        const imagesPerSecond = median(counted.map((r) => r.imagesPerSecond));
        rows.push([`${name} ${size}×${size}, 16 + 8 images`, `${round(seconds, 1)}`, 's/epoch']);
        rows.push([`${name} ${size}×${size}, training`, `${round(imagesPerSecond, 2)}`, 'images/s']);
        rows.push([`${name} ${size}×${size}, epoch of ${PAPER_TRAIN_IMAGES} images`, `${round(PAPER_TRAIN_IMAGES / imagesPerSecond / 60, 1)}`, 'min (training steps only)']);
        json[`models_${name}_${size}_s_per_epoch_small`] = round(seconds, 2);
        json[`models_${name}_${size}_images_per_s`] = round(imagesPerSecond, 3);
      }
    }
    return { rows, json };
  },
};

import { readFileSync } from 'fs';
import * as path from 'path';
import { backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import type { InputArtifact, NodeType } from '../../engine/node-api';
import { writeDataset } from '../../nodes/data/dataset-artifact';
import type { EpochTiming } from '../../nodes/nn/training/loop';
import { TIMINGS_LOG } from '../../nodes/nn/training/log-files';
import type { SegmentationParams } from '../../nodes/segmentation/segmentation-trainer';
import { node as trainEnet } from '../../nodes/types/train-enet/node';
import { node as trainUnet } from '../../nodes/types/train-unet/node';
import { syntheticHearts } from '../models/synthetic-hearts';
import { makeTestContext } from '../rig/node-context';
import { buildNet } from './segmentation-step';
import { type BenchOptions, type BenchResult, type BenchSuite, round } from './suite';
import { runTorchReference } from './torch';

/**
 * Images/s of whole epochs of train-unet and train-enet, through the real nodes (training loop,
 * validation and the per-epoch checkpoint included), at the paper's widths (U-Net 32, ENet 16) and
 * batch (8), at 64 (the quickstart's size, where the quickstart's U-Net of width 8 runs too), 128
 * and 256 px. A small synthetic set keeps it short; images/s of the training steps (validation
 * excluded) gives the time of an epoch of the paper's 1,600 images. The first epoch (kernel set-up,
 * allocation) is not counted; the figure is the median of the others.
 *
 * Beside each ENet, in the same run just before it, PyTorch trains test/models/reference/enet_torch.py
 * (the same layers; its parameter count must equal ours) at the same size and batch on one thread
 * (test/bench/torch_reference.py --only enet): `ratio_vs_torch` is ours / PyTorch's, and
 * `enet_vs_unet` ENet's images/s over the U-Net's at the same size.
 */
interface Run {
  name: string;
  node: NodeType<SegmentationParams>;
  net: 'unet' | 'enet';
  width: number;
}

const PAPER: Run[] = [
  { name: 'unet', node: trainUnet, net: 'unet', width: 32 },
  { name: 'enet', node: trainEnet, net: 'enet', width: 16 },
];
/** The quickstart's U-Net (experiments/quickstart.yaml), at its size only. */
const QUICKSTART_UNET: Run = { name: 'unet_w8', node: trainUnet, net: 'unet', width: 8 };
const PAPER_TRAIN_IMAGES = 1600;

/** Training images per size: enough steps per epoch at 64 px, few at 256 (an epoch is long there). */
const TRAIN_IMAGES: Record<number, number> = { 64: 64, 128: 16, 256: 16 };
const TORCH_STEPS: Record<number, number> = { 64: 6, 128: 3, 256: 2 };

async function timeNode(run: Run, size: number, epochs: number, log: (line: string) => void): Promise<EpochTiming[]> {
  const ctx = await makeTestContext({ nodeId: `${run.name}-${size}` });
  const dirs = { train: path.join(ctx.root, 'train'), val: path.join(ctx.root, 'val') };
  await writeDataset(dirs.train, syntheticHearts(TRAIN_IMAGES[size] ?? 16, size, 1));
  await writeDataset(dirs.val, syntheticHearts(8, size, 2));
  const input = (port: 'train' | 'val'): InputArtifact => ({ dir: dirs[port], hash: port, type: 'dataset', from: `bench.${port}`, nodeId: 'bench' });
  const params: SegmentationParams = { epochs, batchSize: 8, lr: 0.001, lrDecayFrom: null, loss: 'ce', initChannels: run.width, augmentation: false, seed: 1 };
  await run.node.run(ctx, { train: input('train'), val: input('val') }, params);
  const records = readFileSync(path.join(ctx.outputDir('model'), TIMINGS_LOG), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EpochTiming);
  log(`  ${run.name} ${size}: epochs ${records.map((r) => `${r.seconds} s (${r.imagesPerSecond} img/s)`).join(', ')}`);
  return records.slice(1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** PyTorch ENet images/s at one size, or why there is none; throws if its parameter count is not ours. */
function torchEnet(size: number, ours: number): { imagesPerS?: number; unavailable?: string; version?: string } {
  const result = runTorchReference(['--threads', '1', '--only', 'enet', '--enet-sizes', String(size), '--enet-steps', String(TORCH_STEPS[size] ?? 3)]);
  if (!result.ok) return { unavailable: result.reason };
  if (result.figures.enet_params !== ours)
    throw new Error(`PyTorch's ENet has ${result.figures.enet_params} parameters, cardigan's ${ours}: the reference is not the same network`);
  return { imagesPerS: Number(result.figures[`enet${size}_train_images_per_s`]), version: String(result.figures.torch_version) };
}

export const suite: BenchSuite = {
  name: 'models',
  summary: 'images/s of train-unet (width 32, and 8 at 64 px) and train-enet (width 16), batch 8, at 64, 128 and 256, beside PyTorch ENet on one thread',
  async run({ quick, log }: BenchOptions): Promise<BenchResult> {
    const backend = await initBackend(backendChoiceFrom(undefined));
    const rows: BenchResult['rows'] = [];
    const json: Record<string, unknown> = { models_backend: backend.kind };
    const enetParams = buildNet('enet', 16).countParams();
    const ratios: Record<string, number> = {};
    const enetVsUnet: Record<string, number> = {};
    let torchNote: string | undefined;
    for (const size of quick ? [64] : [64, 128, 256]) {
      const runs = size === 64 ? [QUICKSTART_UNET, ...PAPER] : PAPER;
      const rates: Record<string, number> = {};
      for (const run of runs) {
        const torch = run.net === 'enet' ? torchEnet(size, enetParams) : undefined;
        const counted = await timeNode(run, size, quick ? 2 : 3, log);
        const seconds = median(counted.map((r) => r.seconds));
        const imagesPerSecond = median(counted.map((r) => r.imagesPerSecond));
        rates[run.name] = imagesPerSecond;
        const label = `${run.name} ${size}×${size}`;
        rows.push([`${label}, training`, `${round(imagesPerSecond, 2)}`, `images/s (${round(seconds, 1)} s/epoch of ${TRAIN_IMAGES[size] ?? 16} + 8 images)`]);
        rows.push([`${label}, epoch of ${PAPER_TRAIN_IMAGES} images`, `${round(PAPER_TRAIN_IMAGES / imagesPerSecond / 60, 1)}`, 'min (training steps only)']);
        json[`models_${run.name}_${size}_s_per_epoch_small`] = round(seconds, 2);
        json[`models_${run.name}_${size}_images_per_s`] = round(imagesPerSecond, 3);
        if (torch?.imagesPerS !== undefined) {
          ratios[`enet${size}`] = round(imagesPerSecond / torch.imagesPerS, 3);
          json[`models_torch_enet_${size}_images_per_s`] = round(torch.imagesPerS, 3);
          rows.push([
            `PyTorch ENet ${size}×${size} (${torch.version}, 1 thread), training`,
            `${round(torch.imagesPerS, 2)}`,
            `images/s; cardigan/PyTorch ${ratios[`enet${size}`]}`,
          ]);
        } else if (torch?.unavailable !== undefined) torchNote = torch.unavailable;
      }
      enetVsUnet[`${size}`] = round(rates.enet / rates.unet, 3);
      rows.push([`ENet / U-Net (width 32) at ${size}×${size}`, `${enetVsUnet[`${size}`]}`, '']);
      if (rates.unet_w8 !== undefined) {
        enetVsUnet[`${size}_unet_w8`] = round(rates.enet / rates.unet_w8, 3);
        rows.push([`ENet / quickstart U-Net (width 8) at ${size}×${size}`, `${enetVsUnet[`${size}_unet_w8`]}`, '']);
      }
    }
    Object.assign(json, {
      models_enet_params: enetParams,
      models_enet_vs_unet: enetVsUnet,
      models_ratio_vs_torch: torchNote === undefined ? ratios : { unavailable: torchNote },
    });
    if (torchNote !== undefined) rows.push(['PyTorch', torchNote, '']);
    return { rows, json };
  },
};

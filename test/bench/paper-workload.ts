import { readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import type { GpuModel } from './gpu-workloads';

/**
 * How many images each workload of experiments/paper.yaml passes through, to turn measured
 * images/s into the experiment's wall time. Epochs come from paper.yaml (its defaults and params),
 * else from the node's schema default; dataset sizes are the paper's (DESIGN.md §5): CAMUS train
 * 1600 and train+val 1800 images, CAMUSx the 4634 masks the filter kept, CAMUS++ = 1600 + 4634.
 * Training steps and generation only: validation predictions (200 images per U-Net/ENet epoch),
 * sampling 5000 masks, the filters and UMAP are left out (forward passes of small models, or CPU).
 */
export interface PaperWork {
  model: GpuModel;
  /** Images through the workload's step in the whole experiment (epochs × dataset sizes). */
  images: number;
  /** How that number comes about. */
  why: string;
}

const TRAIN = 1600;
const TRAINVAL = 1800;
const CAMUSX = 4634;
const CAMUSPP = TRAIN + CAMUSX;

type Yaml = { defaults?: Record<string, { epochs?: number }>; nodes: Record<string, { params?: { epochs?: number } }> };

function schemaDefault(root: string, type: string, key: string): number {
  const schema = JSON.parse(readFileSync(path.join(root, 'schemas', 'nodes', `${type}.schema.json`), 'utf8')) as {
    properties: Record<string, { default?: unknown }>;
  };
  const value = schema.properties[key]?.default;
  if (typeof value !== 'number') throw new Error(`schemas/nodes/${type}.schema.json has no numeric default for ${key}`);
  return value;
}

export function paperWork(root: string): PaperWork[] {
  const file = path.join(root, 'experiments', 'paper.yaml');
  const doc = parse(readFileSync(file, 'utf8')) as Yaml;
  const epochs = (node: string, type: string) => doc.nodes[node]?.params?.epochs ?? doc.defaults?.[type]?.epochs ?? schemaDefault(root, type, 'epochs');
  const segmentation = (net: 'unet' | 'enet'): PaperWork => {
    const e = epochs(net, `train-${net}`);
    return { model: net, images: e * (TRAIN + CAMUSPP + CAMUSX), why: `${e} epochs on each of CAMUS (${TRAIN}), CAMUS++ (${CAMUSPP}), CAMUSx (${CAMUSX})` };
  };
  const vae = epochs('mask-vae', 'train-mask-vae');
  const spade = epochs('spade', 'train-spade');
  return [
    { model: 'mask-vae', images: vae * TRAIN, why: `${vae} epochs on the ${TRAIN} CAMUS train masks` },
    { model: 'spade', images: spade * TRAINVAL, why: `${spade} epochs on the ${TRAINVAL} CAMUS train+val images` },
    { model: 'generate', images: CAMUSX, why: `the ${CAMUSX} aligned masks` },
    segmentation('unet'),
    segmentation('enet'),
  ];
}

/** Hours of the experiment's workloads at the given images/s, by model and in all (undefined where a rate is missing). */
export function projectHours(work: PaperWork[], rates: Partial<Record<GpuModel, number>>): { total?: number; byModel: Partial<Record<GpuModel, number>> } {
  const byModel: Partial<Record<GpuModel, number>> = {};
  let total: number | undefined = 0;
  for (const w of work) {
    const rate = rates[w.model];
    if (rate === undefined || !(rate > 0)) {
      total = undefined;
      continue;
    }
    byModel[w.model] = w.images / rate / 3600;
    if (total !== undefined) total += byModel[w.model] as number;
  }
  return { total, byModel };
}

import { promises as fs } from 'fs';
import * as path from 'path';
import { type NodeContext, type NodeInputs, single, UserError } from '../../../engine';
import { writeDataset, type DatasetItem } from '../../data/dataset-artifact';
import { maskGridPng } from '../../data/montage';
import { MASK_VAE_MODELS } from '../../mask-vae/catalog';
import { loadModel, storedModelClass } from '../../nn/model-file';
import { abortPoint } from '../../nn/training/abort-point';
import { samplePrior } from '../../mask-vae/prior-samples';
import { node, type SampleMasksParams } from './node';
import { outputLineage } from '../../data/lineage-file';

export async function run(ctx: NodeContext, inputs: NodeInputs, params: SampleMasksParams): Promise<void> {
  const input = single(inputs, 'model');
  const stored = await storedModelClass(input.dir);
  if (!(stored in MASK_VAE_MODELS))
    throw new UserError(`input "model" (${input.from}, ${input.dir}) is a ${stored}, not a mask VAE; connect a train-mask-vae output`);
  const { model } = await loadModel(input.dir, MASK_VAE_MODELS);
  try {
    const seed = params.seed ?? ctx.seed;
    const { size } = model.config;
    const masks = await samplePrior(model, params.count, seed, params.batchSize, (done) => {
      ctx.progress({ done, total: params.count, unit: 'mask' });
      return abortPoint(ctx.signal);
    });
    const width = String(params.count - 1).length;
    const items = Array.from({ length: params.count }, (_, i) => sampleItem(`sample${String(i).padStart(Math.max(5, width), '0')}`, i, size));
    await writeDataset(ctx.outputDir('masks'), {
      manifest: { format: 'cardigan-dataset/1', size: [size, size], hasImages: false, items, lineage: await outputLineage(node, 'masks', inputs) },
      masks,
    });
    const shown = Math.min(params.previewCount, params.count);
    const tiles = Array.from({ length: shown }, (_, i) => masks.subarray(i * size * size, (i + 1) * size * size));
    await fs.writeFile(path.join(ctx.outputDir('preview'), 'preview.png'), maskGridPng(tiles, size, size));
    ctx.log(`drew ${params.count} masks of ${size}×${size} from the prior (seed ${seed})`);
  } finally {
    model.dispose();
  }
}

/**
 * A registered-space mask has no view, phase or physical scale: the view and phase are placeholders
 * (4CH, ED) and one pixel is recorded as 1 mm; align-mask-distribution replaces size and spacing.
 */
function sampleItem(id: string, index: number, size: number): DatasetItem {
  return {
    id,
    patient: id,
    view: '4CH',
    phase: 'ED',
    source: 'artificial-mask',
    nativeSize: [size, size],
    spacing: [1, 1],
    nativeSpacing: [1, 1],
    split: 'none',
    extra: { sample: index },
  };
}

import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../engine/errors';
import { defineNode, single } from '../../engine/node-api';
import schema from '../../schemas/nodes/sample-masks.schema.json';
import { maskGridPng } from '../data/montage';
import { writeDataset, type DatasetItem } from '../data/dataset-artifact';
import { loadModel } from '../models/model-file';
import { MaskVae } from './mask-vae';
import { samplePrior } from './prior-samples';

export interface SampleMasksParams {
  count: number;
  seed: number | null;
  batchSize: number;
  previewCount: number;
}

export const sampleMasks = defineNode<SampleMasksParams>({
  type: 'sample-masks',
  version: 1,
  description: 'Draws masks from the prior of a mask VAE (seeded), in the registered space: the artificial masks of the paper before filtering.',
  paramsSchema: schema,
  inputs: {
    model: { type: 'model', description: 'A train-mask-vae output.' },
  },
  outputs: {
    masks: { type: 'dataset', description: 'count masks of size × size (no images, source artificial-mask), ids sample00000…; extra.sample is the code index.' },
    preview: { type: 'report', description: 'preview.png: the first previewCount masks in a grid (LV red, myocardium green, LA blue).' },
  },
  resource: 'gpu',
  async run(ctx, inputs, params) {
    const input = single(inputs, 'model');
    const { model } = await loadModel(input.dir);
    try {
      if (!(model instanceof MaskVae)) {
        throw new UserError(`input "model" (${input.from}, ${input.dir}) is a ${model.className}, not a mask VAE; connect a train-mask-vae output`);
      }
      const seed = params.seed ?? ctx.seed;
      const { size } = model.config;
      const masks = samplePrior(model, params.count, seed, params.batchSize, (done) => ctx.progress({ done, total: params.count, unit: 'mask' }));
      const width = String(params.count - 1).length;
      const items = Array.from({ length: params.count }, (_, i) => sampleItem(`sample${String(i).padStart(Math.max(5, width), '0')}`, i, size));
      await writeDataset(ctx.outputDir('masks'), { manifest: { format: 'cardigan-dataset/1', size: [size, size], hasImages: false, items }, masks });
      const shown = Math.min(params.previewCount, params.count);
      const tiles = Array.from({ length: shown }, (_, i) => masks.subarray(i * size * size, (i + 1) * size * size));
      await fs.writeFile(path.join(ctx.outputDir('preview'), 'preview.png'), maskGridPng(tiles, size, size));
      ctx.log(`drew ${params.count} masks of ${size}×${size} from the prior (seed ${seed})`);
    } finally {
      model.dispose();
    }
  },
});

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

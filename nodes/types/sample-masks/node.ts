import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/sample-masks.schema.json';
import { readLineage } from '../../data/lineage-file';

export interface SampleMasksParams {
  count: number;
  seed: number | null;
  batchSize: number;
  previewCount: number;
}

export const node = defineNode<SampleMasksParams>({
  type: 'sample-masks',
  // 2: The manifest records the VAE's training patients as lineage.
  version: 2,
  description: 'Draws masks from the prior of a mask VAE (seeded), in the registered space: the artificial masks of the paper before filtering.',
  paramsSchema: schema,
  inputs: {
    model: { type: 'model', description: 'A train-mask-vae output.' },
  },
  outputs: {
    masks: {
      type: 'dataset',
      description: 'count masks of size × size (no images, source artificial-mask), ids sample00000…; extra.sample is the code index.',
    },
    preview: { type: 'report', description: 'preview.png: the first previewCount masks in a grid (LV red, myocardium green, LA blue).' },
  },
  resource: 'gpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation (tfjs, pngjs) loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});

import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/train-mask-vae.schema.json';
import { readLineage } from '../../data/lineage-file';
import type { SegmentationLoss } from '../../segmentation/losses';

/** train-mask-vae's params (schemas/nodes/train-mask-vae.schema.json). */
export interface MaskVaeParams {
  size: number;
  latent: number;
  /** null: as many blocks as bring the bottleneck to 8×8 (`defaultBlocks`). */
  blocks: number | null;
  initChannels: number;
  epochs: number;
  batchSize: number;
  lr: number;
  loss: SegmentationLoss;
  klWeight: number;
  /** Overrides the seed the engine derives for the node. */
  seed: number | null;
}

export const node = defineNode<MaskVaeParams>({
  type: 'train-mask-vae',
  // 2: seconds and images/s moved from log.jsonl to volatile/timings.jsonl.
  // 3: BatchNorm trains through the float64-sum batch-norm kernel on wasm and cpu (outputs change slightly).
  // 4: lineage.json beside model.json: the training masks' patients.
  version: 4,
  description: 'Trains a convolutional VAE on registered one-hot masks (Painchaud et al.), to sample artificial masks from.',
  paramsSchema: schema,
  inputs: {
    masks: {
      type: 'dataset',
      role: 'train',
      description: 'Masks to learn from, e.g. CAMUS train, in image geometry; each is registered first. Images are ignored.',
    },
  },
  outputs: {
    model: {
      type: 'model',
      description:
        'model.json + weights.bin of the VAE, log.jsonl (losses and reconstruction Dice per epoch), volatile/timings.jsonl (seconds and images/s per epoch, outside the hash), registration.json (the registration parameters of every training mask, by id).',
    },
  },
  resource: 'gpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The trainer (and tfjs) loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});

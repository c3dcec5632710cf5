import { defineNode } from '../../../engine/node-api';
import schema from '../../../schemas/nodes/train-mask-vae.schema.json';
import type { MaskVaeParams } from '../../mask-vae/mask-vae-trainer';

export const trainMaskVaeNode = defineNode<MaskVaeParams>({
  type: 'train-mask-vae',
  // 2: seconds and images/s moved from log.jsonl to volatile/timings.jsonl.
  // 3: BatchNorm trains through the float64-sum batch-norm kernel on wasm and cpu (outputs change slightly).
  version: 3,
  description: 'Trains a convolutional VAE on registered one-hot masks (Painchaud et al.), to sample artificial masks from.',
  paramsSchema: schema,
  inputs: {
    masks: { type: 'dataset', description: 'Masks to learn from, e.g. CAMUS train, in image geometry; each is registered first. Images are ignored.' },
  },
  outputs: {
    model: {
      type: 'model',
      description: 'model.json + weights.bin of the VAE, log.jsonl (losses and reconstruction Dice per epoch), volatile/timings.jsonl (seconds and images/s per epoch, outside the hash), registration.json (the registration parameters of every training mask, by id).',
    },
  },
  resource: 'gpu',
  // The trainer (and tfjs) loads when a node of this type runs (engine/node-api.ts).
  run: (ctx, inputs, params) => (require('../../mask-vae/mask-vae-trainer') as typeof import('../../mask-vae/mask-vae-trainer')).trainMaskVae(ctx, inputs, params),
});

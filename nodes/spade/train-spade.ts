import { defineNode } from '../../engine/node-api';
import schema from '../../schemas/nodes/train-spade.schema.json';
import type { NormKind } from './norms';

/** Params of train-spade (schemas/nodes/train-spade.schema.json). */
export interface TrainSpadeParams {
  ngf: number;
  ndf: number;
  numD: number;
  hidden: number;
  norm: NormKind;
  spectralNorm: boolean;
  vae: boolean;
  vgg19Weights: string | null;
  lr: number;
  ttur: boolean;
  beta1: number;
  beta2: number;
  epochs: number;
  decayFrom: number | null;
  batchSize: number;
  flip: boolean;
  lambdaFeat: number;
  lambdaKl: number;
  lambdaVgg: number;
  samples: number;
  seed: number | null;
}

/** Files train-spade writes into its `model` output besides the models. */
export const LOG_FILE = 'log.jsonl';

export const trainSpade = defineNode<TrainSpadeParams>({
  type: 'train-spade',
  version: 1,
  description: 'Trains SPADE (NVlabs/SPADE) to generate echocardiograms from masks; writes generator, discriminator, log and per-epoch sample grids.',
  paramsSchema: schema,
  inputs: {
    data: { type: 'dataset', description: 'Images with their masks to learn from (any size divisible by 32, e.g. CAMUS train+val at 256).' },
    validation: { type: 'dataset', optional: true, description: 'Masks (images optional) drawn in the per-epoch sample grid; without it, the first items of data.' },
  },
  outputs: {
    model: { type: 'model', description: 'Generator model.json + weights.bin, discriminator/ (and encoder/ with the VAE head), log.jsonl and samples/epoch-NNN.png.' },
  },
  resource: 'gpu',
  externalPaths: (params) => (params.vgg19Weights === null ? [] : [params.vgg19Weights]),
  // The implementation, and tfjs with it, loads when a node of this type runs (engine/node-api.ts).
  run: (ctx, inputs, params) => (require('./train-spade-run') as typeof import('./train-spade-run')).runTrainSpade(ctx, inputs, params),
});
